/**
 * The time limit work must keep: how long is left, and a signal that aborts once the time is up or the
 * work's owner is done with it (a Lambda handler that returned or failed). Everything that waits —
 * a request, a backoff, a `Retry-After` — follows the signal, so nothing goes on in the background
 * after the handler: on Lambda, such work would wake up inside the next invocation.
 * Layer: adapter support (the core sees it as a `TimeBudget`).
 */
import { abortScope } from './abort-scope.js';

export interface Deadline {
  /** Milliseconds left before the hard end. */
  remainingMs(): number;
  /** Aborts once the time is up (a `TimeoutError`) or the owner ended the work (an `AbortError`). */
  readonly signal: AbortSignal;
}

export interface OwnedDeadline extends Deadline {
  /** The work is over: anything still waiting or in flight under the deadline stops now. */
  end(): void;
}

/** Time kept in hand before a Lambda invocation's hard end, to give claims back and flush metrics. */
const MAX_MARGIN_MS = 2_000;

/**
 * The deadline of an invocation that has `remainingMs()` left: its signal fires a margin before the end
 * (a fifth of the time left now, at most 2 s), so the handler can still return on its own, and when
 * `follow` aborts (middy's signal, which aborts as it gives up on the handler).
 */
export function startDeadline(remainingMs: () => number, follow?: AbortSignal): OwnedDeadline {
  const left = remainingMs();
  const marginMs = Math.min(MAX_MARGIN_MS, Math.floor(left / 5));
  const owner = new AbortController();
  const scope = abortScope({ timeoutMs: Math.max(0, left - marginMs), follow: [owner.signal, follow] });
  return {
    remainingMs: () => Math.max(0, remainingMs() - marginMs),
    signal: scope.signal,
    end() {
      owner.abort(new DOMException('The invocation has ended', 'AbortError'));
      scope.release();
    },
  };
}

/** What `work` settles with, unless `signal` aborts first: then its reason, at once. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
