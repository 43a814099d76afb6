/**
 * One HTTP request to Midaxo with its own timeout (covering the body too), turning transport failures
 * into transient failures the retry loop understands. Errors carry the request's description, never its headers.
 */
import { MidaxoApiError, type MidaxoErrorDetails } from './midaxo-errors.js';
import { TransientFailure } from './retry-loop.js';

export type Fetch = typeof globalThis.fetch;

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
  /** The whole body; a timeout or a broken connection while reading it is a transient failure. */
  readText(): Promise<string>;
}

export function describeFailure(context: RequestContext, reason: string): string {
  return `${context.subject}: ${reason} (${context.request})`;
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

export async function openExchange(
  fetch: Fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  context: RequestContext,
): Promise<Exchange> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    // Redirects are not followed: the API has none documented, and a redirect must not carry the token elsewhere.
    response = await fetch(url, { ...init, signal, redirect: 'manual' });
  } catch (e: unknown) {
    throw transportFailure(e, signal, timeoutMs, context);
  }
  return {
    status: response.status,
    headers: response.headers,
    async readText() {
      try {
        return await response.text();
      } catch (e: unknown) {
        throw transportFailure(e, signal, timeoutMs, context, response.status);
      }
    },
  };
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
    : `connection failed (${networkCause(error)})${status === undefined ? '' : ` while reading the HTTP ${status} body`}`;
  return new TransientFailure(apiError(context, reason, { status, retryable: true, cause: error }));
}

/** Node's fetch reports "fetch failed" and hides the useful part (ECONNRESET, "other side closed") in `cause`. */
function networkCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return (typeof code === 'string' ? `${code}: ${cause.message}` : cause.message).slice(0, 120);
  }
  return 'unknown error';
}
