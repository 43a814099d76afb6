/**
 * Child process: one fresh poller container. Nothing of the poller is loaded until the first `run`,
 * which imports it (bundled, see poller-container.ts), validates its argument, creates the AWS clients and the handler and runs: the
 * CPU a Lambda container's first invocation spends, measured from inside (`process.cpuUsage()`), with
 * node's own start-up and the IPC channel left out. Later runs are the same container, warm.
 * Only node built-ins and the bench's small helpers are imported here, so none of the poller's
 * modules (zod, the AWS SDK, Powertools) is loaded before the measurement starts; the bench runs it
 * bundled, in plain node (`forkColdStart`).
 */

import type { PollerContainer } from '../poller/poller-container.js';
import { runProfilerFromEnv } from '../support/cpu-profile.js';
import { measure } from '../support/measure.js';
import type { ColdStartInit, ColdStartOperations } from './cold-start-remote.js';
import { serveOperations } from './rpc.js';

const profiler = runProfilerFromEnv();
let container: PollerContainer | undefined;
let runs = 0;

const operations: ColdStartOperations = {
  async run() {
    const cold = container === undefined;
    const { result, wallMs, cpuMs } = await measure(() =>
      profiler.profile(
        async () => {
          if (container === undefined) {
            const init: unknown = JSON.parse(process.argv[2] ?? '{}');
            const bundle = (init as Partial<ColdStartInit>).containerBundleUrl;
            if (typeof bundle !== 'string')
              throw new Error('The cold-start child was given no containerBundleUrl');
            const { startPollerContainer } = (await import(
              bundle
            )) as typeof import('../poller/poller-container.js');
            container = startPollerContainer(init);
          }
          container.aws.tally.reset();
          return container.poller.run();
        },
        (summary) => `container-run-${++runs}${cold ? '-cold' : ''}-published-${summary.published}`,
      ),
    );
    return { cold, summary: result, wallMs, cpuMs, requests: container?.aws.tally.counts() ?? {} };
  },
  advanceClock({ ms }) {
    // A child is forked with the clock as it is; it has one to move only once its container is built.
    if (container === undefined) throw new Error('advanceClock before the first run');
    container.clock.advance(ms);
  },
};

serveOperations(operations, null);
