/**
 * @steadfast/simulator: a fault-injecting fake LLM provider for tests, benchmarks and demos.
 * @module
 */
export type { AttemptRecord, ModelCounters } from './attempt-log.ts';
export {
  type Api,
  type Fault,
  type FaultKind,
  type FaultRule,
  faultKinds,
  loadScenarioFile,
  type ModelBehaviour,
  parseScenario,
  parseScenarioText,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
} from './scenario.ts';
export { type Simulator, type SimulatorOptions, startSimulator } from './server.ts';
