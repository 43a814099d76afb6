/**
 * Ctrl-C reaches every waiting point of a cycle through one AbortSignal: HTTP requests abort, backoff
 * sleeps end at once, and no new page is requested. The core then sees an ordinary failure, keeps the
 * watermark, and the next start re-reads the window; pages already published stay saved.
 */
import type { ProjectSource } from '../shared/core/ports.js';
import { abortScope } from '../shared/support/abort-scope.js';
import { type Sleep, sleep } from '../shared/support/backoff.js';
import { untilAborted } from '../shared/support/deadline.js';

/** A request's stop controller lives as long as the signal its fetch holds (nothing else refers to it). */
const stopperOf = new WeakMap<AbortSignal, AbortController>();
/** Past this many, requests already collected are forgotten before another is added. */
const PRUNE_AT = 64;

/**
 * Fetch that Ctrl-C aborts, body reads included. The caller's own signal (a timeout) is followed with
 * plain listeners, never `AbortSignal.any`, so its timer cannot be collected before it fires.
 */
export function stoppableFetch(signal: AbortSignal, fetch: typeof globalThis.fetch = globalThis.fetch) {
  // Held weakly, so a long session does not keep every finished request; a request still running is
  // reachable through the fetch that holds its signal.
  const inFlight = new Set<WeakRef<AbortController>>();
  signal.addEventListener(
    'abort',
    () => {
      for (const request of inFlight) request.deref()?.abort(signal.reason);
      inFlight.clear();
    },
    { once: true },
  );
  return ((input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    if (signal.aborted) return Promise.reject(signal.reason);
    const stopper = new AbortController();
    const scope = abortScope({ follow: [init.signal ?? undefined, stopper.signal] });
    stopperOf.set(scope.signal, stopper);
    if (inFlight.size >= PRUNE_AT) {
      for (const request of inFlight) if (request.deref() === undefined) inFlight.delete(request);
    }
    inFlight.add(new WeakRef(stopper));
    return fetch(input, { ...init, signal: scope.signal });
  }) as typeof globalThis.fetch;
}

export function stoppableSleep(signal: AbortSignal): Sleep {
  // Ctrl-C ends the wait, and so does the caller's own signal (a deadline).
  return async (ms, own) => {
    if (own === undefined) return sleep(ms, signal);
    const scope = abortScope({ follow: [signal, own] });
    try {
      await sleep(ms, scope.signal);
    } finally {
      scope.release();
    }
  };
}

/** Refuses to start a page once stopping, and gives up waiting for one in flight. */
export function stoppableSource(source: ProjectSource, signal: AbortSignal): ProjectSource {
  return {
    fetchPage(request) {
      if (signal.aborted) return Promise.reject(signal.reason);
      return untilAborted(source.fetchPage(request), signal);
    },
  };
}
