/**
 * `npm start`: the notifier on a laptop. Wires the process (arguments, environment, streams, signals) to
 * `runLocal` and sets the exit code. The first Ctrl-C stops cleanly; a second one exits at once.
 */
import { quietSdkNodeVersionWarning } from '../shared/config/sdk-node-warning.js';
import { runLocal } from './run-local.js';

quietSdkNodeVersionWarning();

const stop = new AbortController();
let interrupts = 0;

function onStopSignal(signal: NodeJS.Signals): void {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(`\n${signal}: stopping (again to force)...\n`);
  stop.abort();
}

process.on('SIGINT', onStopSignal);
process.on('SIGTERM', onStopSignal);
// A closed pipe (`npm start | head`) ends the run like Ctrl-C instead of crashing it.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stop.abort();
});

process.exitCode = await runLocal({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: stop.signal,
});
