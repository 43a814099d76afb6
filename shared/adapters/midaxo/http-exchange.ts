/**
 * One HTTP request to Midaxo with its own timeout (covering the body too), turning transport failures
 * into transient failures the retry loop understands. Errors carry the request's description, never its headers.
 *
 * Bodies are read as streams and never past RESPONSE_BYTE_CAP: a server that announces or sends more
 * gets its request failed as an oversized response, after reading at most the cap, whatever it sends.
 */
import { RunOutOfTimeError } from '../../core/run-out-of-time-error.js';
import { abortScope } from '../../support/abort-scope.js';
import { readBodyUpTo } from '../../support/bounded-body.js';
import { networkErrorCode, quoteUntrusted } from '../../support/untrusted-text.js';
import { MidaxoApiError, type MidaxoErrorDetails } from './midaxo-errors.js';
import { MIDAXO_MAX_RESPONSE_BYTES } from './page-sizer.js';
import { TransientFailure } from './retry-loop.js';

export type Fetch = typeof globalThis.fetch;

/**
 * The most of a body ever read: Midaxo's 6 MB response limit and 1 MiB of margin for however the API
 * counts it. A page of that size is well within the memory of the deployed poller; 300 MB is not.
 */
export const RESPONSE_BYTE_CAP = MIDAXO_MAX_RESPONSE_BYTES + 1024 * 1024;

/** Longest request description (method, path, query with a server-chosen cursor) an error quotes. */
const REQUEST_CHARS_SHOWN = 300;

/** What a failure message says about the request; must not hold anything secret. */
export interface RequestContext {
  /** Who or what failed, e.g. `Midaxo process p1`. */
  readonly subject: string;
  /** Method and path+query (or, for the token endpoint, its URL). */
  readonly request: string;
  readonly processId?: string;
}

export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  /**
   * The whole body. A timeout or a broken connection while reading it is a transient failure; a body
   * over RESPONSE_BYTE_CAP (announced or sent) is an `OversizeResponse`.
   */
  readText(): Promise<string>;
  /** At most the first `maxBytes` of the body, e.g. an error body to quote from; the rest is not read. */
  readStart(maxBytes: number): Promise<string>;
  /** Drops the body unread. */
  discard(): Promise<void>;
}

/** The response was larger than RESPONSE_BYTE_CAP: it failed as an oversized page does, and may be asked again smaller. */
export class OversizeResponse extends TransientFailure {
  override readonly name = 'OversizeResponse';
}

export function describeFailure(context: RequestContext, reason: string): string {
  return `${context.subject}: ${reason} (${quoteUntrusted(context.request, { maxLength: REQUEST_CHARS_SHOWN })})`;
}

export function apiError(
  context: RequestContext,
  reason: string,
  details: Omit<MidaxoErrorDetails, 'processId' | 'request'>,
): MidaxoApiError {
  return new MidaxoApiError(describeFailure(context, reason), {
    ...details,
    processId: context.processId,
    request: context.request,
  });
}

/**
 * Sends the request. `init.signal`, when given, is the caller's deadline: once it aborts, the request
 * and the reading of its body stop, and the failure is a `RunOutOfTimeError`, not one to retry.
 */
export async function openExchange(
  fetch: Fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  context: RequestContext,
): Promise<Exchange> {
  const deadline = init.signal ?? undefined;
  const scope = abortScope({ timeoutMs, follow: [deadline] });
  const failure = (e: unknown, status?: number) => {
    scope.release();
    return deadline?.aborted
      ? stoppedByDeadline(context, deadline)
      : transportFailure(e, scope.signal, timeoutMs, context, status);
  };
  let response: Response;
  try {
    if (deadline?.aborted) throw deadline.reason;
    // Redirects are not followed: the API has none documented, and a redirect must not carry the token elsewhere.
    response = await fetch(url, { ...init, signal: scope.signal, redirect: 'manual' });
  } catch (e: unknown) {
    throw failure(e);
  }
  const { status } = response;
  const read = async (maxBytes: number) => {
    try {
      return await readBodyUpTo(response, maxBytes);
    } catch (e: unknown) {
      throw failure(e, status);
    } finally {
      scope.release();
    }
  };
  const oversize = (what: string) =>
    new OversizeResponse(
      apiError(context, `response too large (${what}; at most ${RESPONSE_BYTE_CAP} bytes are read)`, {
        status,
        retryable: true,
      }),
    );
  return {
    status,
    headers: response.headers,
    async readText() {
      const announced = Number(response.headers.get('content-length') ?? Number.NaN);
      if (announced > RESPONSE_BYTE_CAP) {
        scope.release();
        await response.body?.cancel().catch(() => undefined);
        throw oversize(`HTTP ${status} announcing ${announced} bytes`);
      }
      const body = await read(RESPONSE_BYTE_CAP);
      if (body.overflowed) throw oversize(`HTTP ${status} body over the cap`);
      return body.text;
    },
    async readStart(maxBytes) {
      return (await read(Math.min(maxBytes, RESPONSE_BYTE_CAP))).text;
    },
    async discard() {
      scope.release();
      await response.body?.cancel().catch(() => undefined);
    },
  };
}

/** The caller's deadline passed (or its owner ended the work): the request stops, and is not retried. */
export function stoppedByDeadline(context: RequestContext, deadline: AbortSignal): RunOutOfTimeError {
  const why =
    deadline.reason instanceof Error && deadline.reason.name === 'TimeoutError' ? 'time is up' : 'work ended';
  return new RunOutOfTimeError(describeFailure(context, `stopped before an answer came: the run's ${why}`));
}

function transportFailure(
  error: unknown,
  signal: AbortSignal,
  timeoutMs: number,
  context: RequestContext,
  status?: number,
): TransientFailure {
  const reason = signal.aborted
    ? `no complete response within ${timeoutMs} ms`
    : `connection failed (${networkErrorCode(error)})${status === undefined ? '' : ` while reading the HTTP ${status} body`}`;
  // Not kept as the cause: fetch's message may quote the URL, and the code above says what happened.
  return new TransientFailure(apiError(context, reason, { status, retryable: true }));
}
