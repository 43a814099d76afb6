/**
 * Ctrl-C reaches every waiting point of a cycle through one AbortSignal: HTTP requests abort, backoff
 * sleeps end at once, and no new page is requested. The core then sees an ordinary failure, keeps the
 * watermark, and the next start re-reads the window; pages already published stay saved.
 */
import type { ProjectSource } from '../shared/core/ports.js';
import type { Sleep } from '../shared/support/backoff.js';

export function stoppableFetch(signal: AbortSignal, fetch: typeof globalThis.fetch = globalThis.fetch) {
  return ((input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    const signals = init.signal ? [init.signal, signal] : [signal];
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  }) as typeof globalThis.fetch;
}

export function stoppableSleep(signal: AbortSignal): Sleep {
  return (ms) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}

/** Refuses to start a page once stopping, and gives up waiting for one in flight. */
export function stoppableSource(source: ProjectSource, signal: AbortSignal): ProjectSource {
  return {
    fetchPage(request) {
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        source
          .fetchPage(request)
          .then(resolve, reject)
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}
