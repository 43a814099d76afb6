/**
 * OAuth2 client_credentials tokens for the Midaxo API, as the API overview shows the request (form-encoded).
 * Layer: adapter.
 *
 * A token is reused until shortly before it expires (60 s, or a tenth of its lifetime when that is shorter);
 * its lifetime is `expires_in`, or less when the token is a JWT whose `exp` comes sooner. Concurrent callers
 * share one request. Given a cache (token-cache.ts), a provider that has no usable token first looks there,
 * so a new container reuses the token of an earlier one, and stores each token it gets; a token the API
 * refused is never taken from the cache again, the new one replaces it.
 * 429, 5xx, timeouts, broken connections and a response over the byte cap are retried with backoff, never
 * past the caller's deadline; rejected credentials fail at once with a `MidaxoAuthError` that never contains
 * the secret, whatever the auth server echoes.
 */

import { RunOutOfTimeError } from '../../core/run-out-of-time-error.js';
import { type BackoffPolicy, retryPacingOf, type Sleep } from '../../support/backoff.js';
import { type Deadline, untilAborted } from '../../support/deadline.js';
import { onFirstUse } from '../../support/on-first-use.js';
import { retryAfterMs } from '../../support/retry-after.js';
import * as z from '../../support/schema.js';
import { createRedactor, errorCode, quoteUntrusted } from '../../support/untrusted-text.js';
import {
  apiError,
  describeFailure,
  type Fetch,
  openExchange,
  type RequestContext,
  stoppedByDeadline,
} from './http-exchange.js';
import { jwtExpiryMs } from './jwt-expiry.js';
import { MidaxoAuthError } from './midaxo-errors.js';
import { type RetrySettings, TransientFailure, timeLimitOf, withRetries } from './retry-loop.js';
import { createTokenCacheSlot, type HeldToken, type TokenCacheOptions } from './token-cache-slot.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TokenProviderOptions {
  /** The full token URL, e.g. `https://auth.app-eu.midaxo.com/oauth/token`. */
  readonly authUrl: string;
  readonly audience: string;
  readonly credentials: ClientCredentials;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Per request, body included. @default 10000 */
  readonly timeoutMs?: number;
  /** @default DEFAULT_BACKOFF */
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Longest `Retry-After` honoured. @default 30000 */
  readonly maxRetryAfterMs?: number;
  /** Tokens shared with other containers. @default - none: a token lives as long as this provider */
  readonly cache?: TokenCacheOptions;
}

export interface TokenProvider {
  /**
   * A valid token. Given the caller's deadline, no retry wait outlasts it and nothing is sent after its
   * signal aborted: the call then fails with a `RunOutOfTimeError`.
   */
  getToken(deadline?: Deadline): Promise<string>;
  /**
   * Forgets the cached token so the next `getToken` asks for a new one. Given the token that was rejected,
   * does nothing if a newer one is already cached (another caller refreshed first).
   */
  invalidate(rejectedToken?: string): void;
}

const tokenResponseSchema = onFirstUse(() =>
  z.object({
    access_token: z.string({ error: 'access_token must be a string' }).check(
      z.minLength(1, { error: 'access_token must not be empty' }),
      // It goes into a header as it is: CR, LF or other control characters would fail every request.
      z.regex(/^[\x20-\x7e]+$/, {
        error: 'access_token must be printable ASCII (it holds control or other characters)',
      }),
    ),
    expires_in: z
      .number({ error: 'expires_in must be a number of seconds' })
      .check(z.positive({ error: 'expires_in must be positive' })),
  }),
);

const oauthErrorSchema = onFirstUse(() =>
  z.object({ error: z.string(), error_description: z.optional(z.string()) }),
);

const MAX_REFRESH_MARGIN_MS = 60_000;

/** How long before its expiry a token of `lifetimeMs` is refreshed: 60 s, or a tenth of a shorter lifetime. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs / 10);
}

/** How much of an error response is read, and how much of its description an error quotes. */
const ERROR_BODY_BYTES = 16 * 1024;
const DESCRIPTION_CHARS_SHOWN = 200;

/** The request callers share, and the deadline of the caller that started it. */
interface SharedRequest {
  readonly promise: Promise<string>;
  readonly signal: AbortSignal | undefined;
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const fetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const retry = retryPacingOf(options);
  const authUrl = new URL(options.authUrl);
  const context: RequestContext = {
    subject: 'Midaxo token request',
    request: `POST ${authUrl.origin}${authUrl.pathname}`,
  };
  const { clientId, clientSecret } = options.credentials;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    audience: options.audience,
  }).toString();

  let cached: HeldToken | undefined;
  let inFlight: SharedRequest | undefined;
  /** The last token the API refused: the cache may still hold it until the next one replaces it. */
  let rejected: string | undefined;
  const cache = createTokenCacheSlot(options.cache, clientSecret);

  const redact = createRedactor([{ value: clientSecret, basicAuthUser: clientId }]);

  async function requestOnce(signal: AbortSignal | undefined): Promise<HeldToken> {
    const requestedAtMs = now().getTime();
    const exchange = await openExchange(
      fetch,
      authUrl.href,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        signal,
      },
      timeoutMs,
      context,
    );
    const { status } = exchange;
    const text = status === 200 ? await exchange.readText() : await exchange.readStart(ERROR_BODY_BYTES);
    if (status === 401 || status === 403) {
      const rejected =
        status === 401
          ? 'the client credentials'
          : `the client credentials or the audience '${options.audience}'`;
      const reason = `${rejected} were rejected (HTTP ${status}${oauthError(text)}); check client_id ${clientId} and its client_secret`;
      throw new MidaxoAuthError(describeFailure(context, reason), {
        status,
        retryable: false,
        request: context.request,
      });
    }
    if (status === 429) {
      const retryAfter = retryAfterMs(exchange.headers.get('retry-after'), now().getTime());
      const error = apiError(context, 'rate limited (HTTP 429)', { status, retryable: true });
      throw new TransientFailure(
        error,
        retryAfter === undefined ? undefined : Math.min(retryAfter, maxRetryAfterMs),
      );
    }
    if (status >= 500) {
      throw new TransientFailure(
        apiError(context, `server error (HTTP ${status})`, { status, retryable: true }),
      );
    }
    if (status !== 200) {
      throw apiError(context, `unexpected HTTP ${status}${oauthError(text)}`, { status, retryable: false });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the body, which holds the token when only the end is cut off.
      const error = apiError(context, 'the token response is not JSON (truncated?)', {
        status,
        retryable: true,
      });
      throw new TransientFailure(error);
    }
    const parsed = tokenResponseSchema().safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => issue.message).join('; ');
      throw apiError(context, `the token response is not usable: ${problems}`, { status, retryable: false });
    }
    const token = parsed.data.access_token;
    const lifetimeMs = lifetimeOf(token, parsed.data.expires_in * 1000, requestedAtMs);
    return {
      token,
      refreshAtMs: requestedAtMs + lifetimeMs - refreshMarginMs(lifetimeMs),
      expiresAtMs: requestedAtMs + lifetimeMs,
    };
  }

  /** The cached token when it is usable, else a new one from the auth server, which the cache keeps. */
  async function obtain(signal: AbortSignal | undefined, settings: RetrySettings) {
    const recalled = await cache.recall(now().getTime(), rejected, signal);
    if (recalled !== undefined) return recalled;
    const fresh = await withRetries(() => requestOnce(signal), settings);
    await cache.keep(fresh, signal);
    return fresh;
  }

  /**
   * Auth0's `error` and `error_description`, which say why: the error only when it is a plain code, the
   * description cleaned, cut short and with the secret blanked out in any form the server may echo it.
   */
  function oauthError(text: string): string {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return '';
    }
    const parsed = oauthErrorSchema().safeParse(body);
    if (!parsed.success) return '';
    const code = errorCode(parsed.data.error);
    const description = quoteUntrusted(parsed.data.error_description ?? '', {
      maxLength: DESCRIPTION_CHARS_SHOWN,
      redact,
    });
    return [code === undefined ? '' : ` ${code}`, description === '' ? '' : `: ${description}`].join('');
  }

  function startRequest(deadline: Deadline | undefined): SharedRequest {
    const signal = deadline?.signal;
    const settings = { ...retry, deadline: timeLimitOf(deadline, timeoutMs) };
    const request: SharedRequest = {
      signal,
      promise: obtain(signal, settings)
        .then((fresh) => {
          cached = fresh;
          return fresh.token;
        })
        .finally(() => {
          if (inFlight === request) inFlight = undefined;
        }),
    };
    // Every waiter may have stopped at its own deadline before the request fails: its failure is then
    // nobody's, and must not surface as an unhandled rejection (which ends a Lambda invocation).
    request.promise.catch(() => undefined);
    return request;
  }

  return {
    async getToken(deadline) {
      const signal = deadline?.signal;
      for (;;) {
        if (cached !== undefined && now().getTime() < cached.refreshAtMs) return cached.token;
        inFlight ??= startRequest(deadline);
        const shared = inFlight;
        try {
          return await untilAborted(shared.promise, signal);
        } catch (e: unknown) {
          if (signal?.aborted) throw stoppedByDeadline(context, signal);
          // Another caller's deadline stopped the request this one joined; this caller still has time.
          if (e instanceof RunOutOfTimeError && shared.signal !== signal) continue;
          throw e;
        }
      }
    },
    invalidate(rejectedToken) {
      if (rejectedToken === undefined || cached?.token === rejectedToken) {
        rejected = cached?.token;
        cached = undefined;
      }
    },
  };
}

/** `expires_in`, shortened to the JWT's `exp` when that comes sooner (but still after the request). */
function lifetimeOf(token: string, expiresInMs: number, requestedAtMs: number): number {
  const expiryMs = jwtExpiryMs(token);
  if (expiryMs === undefined || expiryMs <= requestedAtMs) return expiresInMs;
  return Math.min(expiresInMs, expiryMs - requestedAtMs);
}
