/**
 * The simulator under load, in a process of its own so that the load generator does not share its event
 * loop. Started by `simulator-throughput.ts` (which uses the scenario below) and by `chaos-scorecard.ts`
 * (which replaces it through the control API before every run); prints `listening <url>` once it accepts connections,
 * `cpu-us <n>` (its CPU time so far, in µs) on SIGUSR2, and stops on SIGTERM. It runs the source (Node
 * strips the types), so a measurement never uses a stale build.
 */
import { startSimulator } from '../packages/simulator/src/index.ts';

const sim = await startSimulator({
  scenario: {
    models: {
      // Non-streaming: the default 24-token answer, no latency, no faults.
      'bench-plain': {},
      // Streaming: 64 content chunks, sent as fast as the socket takes them.
      'bench-stream': { replyTokens: 64, tokensPerSecond: 0 },
    },
  },
});
console.log(`listening ${sim.url}`);

process.on('SIGUSR2', () => {
  const { user, system } = process.cpuUsage();
  console.log(`cpu-us ${user + system}`);
});
process.once('SIGTERM', () => {
  sim.close().then(() => process.exit(0));
});
