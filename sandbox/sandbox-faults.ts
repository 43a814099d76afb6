/**
 * Fault injection for listing requests: one-shot faults queued by tests first, then random faults drawn
 * from a seeded PRNG, so a run with the same seed and request order fails the same way every time.
 */

import type { FailNextOptions, FaultKind, FaultRates } from './sandbox-types.js';
import { mulberry32 } from './seeded-random.js';

export interface InjectedFault {
  readonly kind: FaultKind;
  /** The `Retry-After` header value of a rate-limit fault. */
  readonly retryAfter?: string;
}

export interface FaultInjector {
  /** The fault for the listing request that just arrived, if any; counts it. */
  next(): InjectedFault | undefined;
  failNext(options: FailNextOptions): void;
  /** New random rates; the PRNG goes on where it was, so a seeded sequence stays repeatable. */
  setRates(rates: FaultRates): void;
  readonly injected: Readonly<Record<FaultKind, number>>;
  resetCounts(): void;
}

export function createFaultInjector(seed: number, rates: FaultRates = {}): FaultInjector {
  const random = mulberry32(seed);
  const queue: InjectedFault[] = [];
  let injected = zeroCounts();
  let { defaultRetryAfter, thresholds, anyRandomFault } = settingsOf(rates);

  function draw(): InjectedFault | undefined {
    if (!anyRandomFault) return undefined;
    const roll = random();
    let cumulative = 0;
    for (const [kind, rate] of thresholds) {
      cumulative += rate;
      if (roll < cumulative)
        return kind === 'rate-limit' ? { kind, retryAfter: defaultRetryAfter } : { kind };
    }
    return undefined;
  }

  return {
    next() {
      const fault = queue.shift() ?? draw();
      if (fault !== undefined) injected = { ...injected, [fault.kind]: injected[fault.kind] + 1 };
      return fault;
    },
    failNext({ kind, count = 1, retryAfter }) {
      const header =
        retryAfter === undefined
          ? defaultRetryAfter
          : retryAfter instanceof Date
            ? retryAfter.toUTCString()
            : String(retryAfter);
      for (let i = 0; i < count; i++)
        queue.push(kind === 'rate-limit' ? { kind, retryAfter: header } : { kind });
    },
    setRates(next) {
      ({ defaultRetryAfter, thresholds, anyRandomFault } = settingsOf(next));
    },
    get injected() {
      return injected;
    },
    resetCounts() {
      injected = zeroCounts();
    },
  };
}

function settingsOf(rates: FaultRates) {
  const thresholds: [FaultKind, number][] = [
    ['rate-limit', rates.rateLimitRate ?? 0],
    ['server-error', rates.serverErrorRate ?? 0],
    ['reset', rates.resetRate ?? 0],
    ['truncated', rates.truncatedRate ?? 0],
  ];
  return {
    defaultRetryAfter: String(rates.retryAfterSeconds ?? 1),
    thresholds,
    anyRandomFault: thresholds.some(([, rate]) => rate > 0),
  };
}

function zeroCounts(): Record<FaultKind, number> {
  return { 'rate-limit': 0, 'server-error': 0, reset: 0, truncated: 0, unauthorized: 0 };
}
