export type { ResilientStream } from './run-stream.ts';
export type {
  AttemptRecord,
  Candidate,
  ChatResult,
  EngineEvent,
  ResilienceReport,
  Route,
  RoutePolicies,
  StreamRecovery,
} from './types.ts';
export type { WrapOptions } from './wrap.ts';
