import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttemptLog } from './attempt-log.ts';
import { parseScenarioText, type Scenario, ScenarioError } from './scenario.ts';
import { sendJson } from './send.ts';

/** The simulator's state as the control API reads and changes it. */
export interface SimulatorState {
  readonly log: AttemptLog;
  scenario(): Scenario;
  /** Replaces the scenario with one already validated. */
  setScenario(scenario: Scenario): void;
  /** Clears counters, the log and rate-limit windows, and restarts the clock of time windows. */
  reset(): void;
}

/** Answers a call of the HTTP control API under `/_sim/`. */
export function control(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  body: string,
  state: SimulatorState,
): void {
  const method = request.method ?? 'GET';
  if (path === '/_sim/health' && method === 'GET') return sendJson(response, 200, { ok: true });
  if (path === '/_sim/scenario' && method === 'GET') return sendJson(response, 200, state.scenario());
  if (path === '/_sim/scenario' && (method === 'PUT' || method === 'POST')) {
    try {
      const scenario = parseScenarioText(body, 'from PUT /_sim/scenario');
      state.setScenario(scenario);
      return sendJson(response, 200, scenario);
    } catch (error) {
      if (error instanceof ScenarioError) return sendJson(response, 400, { error: error.message });
      throw error;
    }
  }
  if (path === '/_sim/reset' && method === 'POST') {
    state.reset();
    return sendJson(response, 200, { ok: true });
  }
  if (path === '/_sim/counters' && method === 'GET') return sendJson(response, 200, state.log.counters());
  if (path === '/_sim/log' && method === 'GET')
    return sendJson(response, 200, { attempts: state.log.records() });
  sendJson(response, 404, {
    error: `Unknown control call ${method} ${path}. Known: GET /_sim/health, GET|PUT /_sim/scenario, POST /_sim/reset, GET /_sim/counters, GET /_sim/log`,
  });
}
