/**
 * Abort signals that do not depend on garbage-collection timing. On Node 20, `AbortSignal.any` holds its
 * sources weakly, so an `AbortSignal.timeout` given to it can be collected with its timer and never fire
 * (nodejs/node#57736): a request meant to time out after 10 s then waits for as long as the peer likes.
 * Here every link is a plain listener, and the timer a plain `setTimeout` that `release` clears.
 * Layer: adapter support.
 */

export interface AbortScope {
  /** Aborts when a followed signal aborts (with its reason) or the timeout passes (a `TimeoutError`). */
  readonly signal: AbortSignal;
  /** Clears the timer and stops following; call it when the guarded work is over. */
  release(): void;
}

export interface AbortScopeOptions {
  readonly timeoutMs?: number;
  readonly follow?: readonly (AbortSignal | undefined)[];
}

/** Keeps followed signals alive for as long as the scope's signal is, so a timeout among them still fires. */
const followedBy = new WeakMap<AbortSignal, readonly AbortSignal[]>();

export function abortScope(options: AbortScopeOptions): AbortScope {
  const controller = new AbortController();
  const sources = (options.follow ?? []).filter((signal) => signal !== undefined);
  followedBy.set(controller.signal, sources);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const release = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    for (const source of sources) source.removeEventListener('abort', onAbort);
  };
  function onAbort(this: AbortSignal) {
    release();
    controller.abort(this.reason);
  }

  const aborted = sources.find((source) => source.aborted);
  if (aborted !== undefined) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, release };
  }
  for (const source of sources) source.addEventListener('abort', onAbort);
  if (options.timeoutMs !== undefined) {
    const ms = options.timeoutMs;
    timer = setTimeout(() => {
      release();
      controller.abort(new DOMException(`No answer within ${ms} ms`, 'TimeoutError'));
    }, ms);
  }
  return { signal: controller.signal, release };
}
