/**
 * A clock running at real speed from a chosen instant. The sandbox and the poller live in separate
 * processes; each builds one from the same offset, so both see the same time, and both are moved
 * forward together to model the next scheduled run.
 */
import type { Clock } from '../../shared/core/ports.js';

export interface OffsetClock extends Clock {
  /** Milliseconds added to the system clock; hand it to another process to share this clock. */
  readonly offsetMs: number;
  advance(ms: number): void;
}

export function offsetClockStartingAt(instant: string): OffsetClock {
  return createOffsetClock(Date.parse(instant) - Date.now());
}

export function createOffsetClock(offsetMs: number): OffsetClock {
  let offset = offsetMs;
  return {
    now: () => new Date(Date.now() + offset),
    get offsetMs() {
      return offset;
    },
    advance(ms) {
      offset += ms;
    },
  };
}
