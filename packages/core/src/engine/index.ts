export type { ObjectRequest } from './object-request.ts';
export type { ObjectStream, ObjectStreamEvent } from './object-stream.ts';
export type { ResilientStream } from './run-stream.ts';
export type {
  AttemptRecord,
  Candidate,
  ChatResult,
  ContentPolicies,
  ContentReport,
  EngineEvent,
  ResilienceReport,
  Route,
  RoutePolicies,
  StreamRecovery,
} from './types.ts';
export type { WrapOptions } from './wrap.ts';
