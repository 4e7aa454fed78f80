import type { ClientUnderTest, Outcome } from './client-under-test.ts';
import type { ChaosScenario } from './scenarios.ts';

/**
 * Sends `requests` requests of the scenario, `concurrency` at a time (each worker sends its next as soon
 * as its last ended), and returns every outcome in the order they were sent.
 * @param runStart `performance.now()` at the start of the run; outcomes' times are counted from it
 */
export async function runLoad(
  client: ClientUnderTest,
  scenario: ChaosScenario,
  requests: number,
  concurrency: number,
  runStart: number,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(requests);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < requests) {
      const index = next++;
      outcomes[index] = await client.send(scenario, performance.now() - runStart);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  return outcomes;
}
