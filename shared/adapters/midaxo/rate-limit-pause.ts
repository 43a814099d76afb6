/**
 * One rate-limit pause for all of a workspace's requests: the processes of a workspace are polled in
 * parallel with one client id, and Midaxo's `429` limits that client, not one process. When any request
 * is told to slow down, the requests the workspace starts next wait as long as it was told (no longer
 * than `maxPauseMs`, the cap on `Retry-After`), so they do not hammer a server that already refused.
 *
 * The bound others are held up by: each `429` pauses them at most `maxPauseMs` from the moment it
 * arrived; the process that got it waits out its own (capped) `Retry-After` in its own slot.
 * Layer: adapter.
 */
import { RunOutOfTimeError } from '../../core/run-out-of-time-error.js';
import type { Sleep } from '../../support/backoff.js';
import { type TimeLimit, waitWithin } from './retry-loop.js';

/** A `429` without `Retry-After` pauses the workspace this long; the refused request backs off as usual. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 1_000;

export interface RateLimitPause {
  /** Resolves when no pause is in force; at once when none is. */
  waitTurn(): Promise<void>;
  /** A `429` arrived: requests started from now on wait `delayMs` (capped) from now. */
  pauseFor(delayMs: number | undefined): void;
}

export interface RateLimitPauseOptions {
  readonly sleep: Sleep;
  /** @default Date.now */
  readonly nowMs?: () => number;
  /** Longest pause one answer imposes. @default 30000 */
  readonly maxPauseMs?: number;
  /**
   * Time the run has left and what a request needs of it: a pause that would leave too little fails
   * the waiting request as out of time, as the retry loop does, rather than sleeping past the run; a
   * pause in progress ends when the limit's signal aborts.
   */
  readonly deadline?: TimeLimit;
}

export function createRateLimitPause(options: RateLimitPauseOptions): RateLimitPause {
  const nowMs = options.nowMs ?? Date.now;
  const maxPauseMs = options.maxPauseMs ?? 30_000;
  let pausedUntilMs = 0;

  return {
    async waitTurn() {
      // A pause may be extended while this request sleeps: look again after each wait.
      for (let waitMs = pausedUntilMs - nowMs(); waitMs > 0; waitMs = pausedUntilMs - nowMs()) {
        await waitWithin(options.deadline, options.sleep, waitMs, outOfTime);
      }
    },
    pauseFor(delayMs) {
      const pauseMs = Math.min(delayMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS, maxPauseMs);
      pausedUntilMs = Math.max(pausedUntilMs, nowMs() + pauseMs);
    },
  };
}

function outOfTime(): RunOutOfTimeError {
  return new RunOutOfTimeError(
    'Midaxo rate-limited this workspace; not sent: too little time left in this run after the pause',
  );
}
