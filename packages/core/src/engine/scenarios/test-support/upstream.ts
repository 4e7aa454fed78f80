import type { AttemptRecord as SimAttempt, Simulator } from '@steadfast/simulator';

/** The attempts the simulator received for one model. */
export function attemptsOn(upstream: readonly SimAttempt[], model: string): SimAttempt[] {
  return upstream.filter((attempt) => attempt.model === model);
}

/** The model of each attempt the simulator received, in order of arrival. */
export function modelsOf(upstream: readonly SimAttempt[]): string[] {
  return upstream.map((attempt) => attempt.model);
}

/**
 * The simulator's record of an attempt on `model` (its `attempt`-th since the start, when given) as soon
 * as the simulator has received it: from then on the client's time limits for it are armed.
 */
export function arrivalOn(sim: Simulator, model: string, attempt?: number): Promise<SimAttempt> {
  return new Promise((resolve) => {
    const unsubscribe = sim.onAttempt((record) => {
      if (record.model !== model || (attempt !== undefined && record.attempt !== attempt)) return;
      unsubscribe();
      resolve(record);
    });
  });
}
