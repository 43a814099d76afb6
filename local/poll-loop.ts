/**
 * Runs poll cycles: one with `once`, otherwise one every `intervalMs` (start to start, so the cadence holds
 * however long a cycle takes) until the stop signal. A failed cycle is reported by the cycle itself and
 * retried on the next one; only `once` turns it into the result.
 */
import type { Sleep } from '../shared/support/backoff.js';

export interface PollLoopOptions {
  readonly once: boolean;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  /** Must end early when the signal aborts. */
  readonly sleep: Sleep;
  readonly now?: () => number;
  /** One cycle; resolves true when every process was polled. */
  readonly cycle: (index: number) => Promise<boolean>;
}

export type LoopResult = 'succeeded' | 'failed' | 'stopped';

export async function runPollLoop(options: PollLoopOptions): Promise<LoopResult> {
  const now = options.now ?? Date.now;
  for (let index = 0; ; index++) {
    if (options.signal.aborted) return 'stopped';
    const startedAt = now();
    const succeeded = await options.cycle(index);
    if (options.signal.aborted) return 'stopped';
    if (options.once) return succeeded ? 'succeeded' : 'failed';
    try {
      await options.sleep(Math.max(0, options.intervalMs - (now() - startedAt)));
    } catch (e: unknown) {
      if (options.signal.aborted) return 'stopped';
      throw e;
    }
  }
}
