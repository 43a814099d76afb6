/**
 * A clock that only moves when someone sleeps on it or advances it: a worker that waits an hour for
 * Slack returns at once, and every figure measured against it (minutes to drain) is exact and
 * repeatable. One caller at a time: sleeps of concurrent callers would add up.
 */
import type { DrainClock } from '../../shared/delivery/drain-to-paced-target.js';

export interface SimulatedClock extends DrainClock {
  advance(ms: number): void;
}

export function createSimulatedClock(startMs = Date.parse('2026-03-02T09:00:00Z')): SimulatedClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    sleep: async (ms) => {
      nowMs += Math.max(0, ms);
    },
    advance(ms) {
      nowMs += Math.max(0, ms);
    },
  };
}
