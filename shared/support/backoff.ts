/**
 * Exponential backoff with full jitter, the one retry pacing every adapter uses.
 * Full jitter spreads retries of many clients apart instead of letting them retry in lockstep.
 */
export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5_000 };

/** Delay before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Waits `ms`; given a signal, ends at once when it aborts, rejecting with its reason. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Real waiting; an aborted wait clears its timer, so nothing is left pending after the work stopped. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** How an adapter paces its retries; each part injectable so tests neither wait nor depend on chance. */
export interface RetryPacing {
  readonly backoff: BackoffPolicy;
  readonly sleep: Sleep;
  readonly random: () => number;
}

/** The retry options every adapter takes. */
export type RetryPacingOptions = Partial<RetryPacing>;

/** Fills in the defaults: DEFAULT_BACKOFF, real sleeping, Math.random. */
export function retryPacingOf(options: RetryPacingOptions): RetryPacing {
  return {
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
}
