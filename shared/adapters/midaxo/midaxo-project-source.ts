/**
 * `ProjectSource` over the Midaxo Cloud API: `GET /processes/{processId}/projects` with cursor paging and the
 * update-time window, the token sent as `Authorization: <token>` (no `Bearer`, as the API overview requires).
 * Layer: adapter.
 *
 * Per page: 401 → one token refresh and one retry; 401/403 again → `MidaxoAuthError`; 404 → unknown process;
 * 429 → wait `Retry-After` (capped) and retry; 5xx, timeouts, broken connections and unreadable bodies →
 * retry with backoff within the policy's attempts; 413, 5xx and a body over `RESPONSE_BYTE_CAP` also halve the
 * page size (see `page-sizer.ts`), since that is how a page over the 6 MB cap fails; any other 4xx, a
 * malformed page or one with more items than `first` asked for → fail at once. Of an error body, only the start is read, and less is quoted.
 */
import type { PageRequest, ProjectPage, ProjectSource } from '../../core/ports.js';
import { type BackoffPolicy, retryPacingOf, type Sleep } from '../../support/backoff.js';
import type { Deadline } from '../../support/deadline.js';
import { retryAfterMs } from '../../support/retry-after.js';
import { createRedactor, quoteUntrusted, type SecretToHide } from '../../support/untrusted-text.js';
import {
  apiError,
  describeFailure,
  type Exchange,
  type Fetch,
  OversizeResponse,
  openExchange,
  type RequestContext,
} from './http-exchange.js';
import { MidaxoApiError, MidaxoAuthError, MidaxoError } from './midaxo-errors.js';
import { createPageSizer } from './page-sizer.js';
import { InvalidProjectPageError, parseProjectPage } from './project-page-schema.js';
import type { RateLimitPause } from './rate-limit-pause.js';
import { TransientFailure, timeLimitOf, withRetries } from './retry-loop.js';
import type { TokenProvider } from './token-provider.js';

/** How much of an error body is read, and how much of it an error quotes. */
const ERROR_BODY_BYTES = 16 * 1024;
const ERROR_CHARS_SHOWN = 200;
/** How long one listing request may take, body included, unless the options say otherwise. */
export const LISTING_REQUEST_TIMEOUT_MS = 30_000;

/** Reported after every HTTP request of a page, so the caller can count requests and retries. */
export interface MidaxoRequestInfo {
  /** HTTP status; null when no response arrived (timeout, connection failure). */
  readonly status: number | null;
  /** 1 for the page's first request, counting every retry and the token-refresh retry. */
  readonly attempt: number;
  readonly retried: boolean;
}

export interface MidaxoProjectSourceOptions {
  /** API base URL, e.g. `https://api.app-eu.midaxo.com`. */
  readonly apiUrl: string;
  readonly tokens: TokenProvider;
  /** Sent as `first`; the server may return fewer. */
  readonly pageSize: number;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
  /** Per request, body included. @default 30000 */
  readonly timeoutMs?: number;
  /** @default DEFAULT_BACKOFF */
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Longest `Retry-After` honoured. @default 30000 */
  readonly maxRetryAfterMs?: number;
  /** Reads HTTP-date `Retry-After` values. @default () => new Date() */
  readonly now?: () => Date;
  readonly onRequest?: (info: MidaxoRequestInfo) => void;
  /**
   * The pause this source shares with the workspace's other sources: a `429` slows them all.
   * @default - one of its own
   */
  readonly rateLimit?: RateLimitPause;
  /**
   * The run's deadline: retries that could not finish within it are not started, and once its signal
   * aborts, the request in flight and any wait stop, and nothing more is sent.
   */
  readonly deadline?: Deadline;
  /** Besides the token, what a quoted error answer must not repeat: the client secret (and its Basic form). */
  readonly secrets?: readonly SecretToHide[];
}

/** A response and the token the request carried, so nothing quoted from the response can repeat it. */
interface Sent {
  readonly exchange: Exchange;
  readonly token: string;
}

export function createMidaxoProjectSource(options: MidaxoProjectSourceOptions): ProjectSource {
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const fetch = options.fetch ?? globalThis.fetch;
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? LISTING_REQUEST_TIMEOUT_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const now = options.now ?? (() => new Date());
  const signal = options.deadline?.signal;
  const retry = { ...retryPacingOf(options), deadline: timeLimitOf(options.deadline, timeoutMs) };
  const { tokens } = options;

  const sizer = createPageSizer({ maxPageSize: options.pageSize });

  async function fetchPage(request: PageRequest): Promise<ProjectPage> {
    let requests = 0;
    let tokenRefreshed = false;

    async function send(target: string, context: RequestContext): Promise<Sent> {
      await options.rateLimit?.waitTurn();
      const token = await tokenFor(context);
      requests += 1;
      const reportedAttempt = requests;
      let exchange: Exchange;
      try {
        exchange = await openExchange(
          fetch,
          apiUrl + target,
          { headers: { authorization: token }, signal },
          timeoutMs,
          context,
        );
      } catch (e: unknown) {
        options.onRequest?.({ status: null, attempt: reportedAttempt, retried: reportedAttempt > 1 });
        throw e;
      }
      options.onRequest?.({
        status: exchange.status,
        attempt: reportedAttempt,
        retried: reportedAttempt > 1,
      });
      if (exchange.status === 401 && !tokenRefreshed) {
        tokenRefreshed = true;
        tokens.invalidate(token);
        await exchange.discard();
        return send(target, context);
      }
      return { exchange, token };
    }

    return withRetries(async () => {
      const first = sizer.next();
      const target = listingTarget(request, first);
      const context: RequestContext = {
        subject: `Midaxo process ${request.processId}`,
        request: `GET ${target}`,
        processId: request.processId,
      };
      const { exchange, token } = await send(target, context);
      if (exchange.status < 200 || exchange.status > 299) {
        if (exchange.status === 413 || exchange.status >= 500) sizer.shrink(first);
        throw refusal(exchange, await exchange.readStart(ERROR_BODY_BYTES), context, token);
      }
      const text = await exchange.readText().catch((e: unknown) => {
        if (e instanceof OversizeResponse) sizer.shrink(first);
        throw e;
      });
      const page = parsePage(exchange.status, text, first, context);
      const bytes = Buffer.byteLength(text);
      sizer.record(page.projects.length, bytes);
      return { ...page, bytes };
    }, retry);
  }

  function listingTarget({ processId, window, after }: PageRequest, first: number): string {
    const query = new URLSearchParams({ first: String(first) });
    if (after !== undefined) query.set('after', after);
    if (window?.updatedAfter !== undefined) query.set('updatedAfter', window.updatedAfter);
    if (window?.updatedBefore !== undefined) query.set('updatedBefore', window.updatedBefore);
    return `/processes/${encodeURIComponent(processId)}/projects?${query}`;
  }

  async function tokenFor(context: RequestContext): Promise<string> {
    try {
      return await tokens.getToken(options.deadline);
    } catch (e: unknown) {
      if (!(e instanceof MidaxoError)) throw e;
      const message = `${context.subject}: could not get an access token: ${e.message}`;
      const details = {
        status: e.status,
        retryable: e.retryable,
        processId: context.processId,
        request: e.request,
        cause: e,
      };
      throw e instanceof MidaxoAuthError
        ? new MidaxoAuthError(message, details)
        : new MidaxoApiError(message, details);
    }
  }

  /** What a non-2xx answer means: an error to throw, or a `TransientFailure` asking for another attempt. */
  function refusal(
    { status, headers }: Exchange,
    text: string,
    context: RequestContext,
    token: string,
  ): Error {
    if (status === 401 || status === 403) {
      const reason = `credentials rejected or no access to process ${context.processId} (HTTP ${status})`;
      return new MidaxoAuthError(describeFailure(context, reason), {
        status,
        retryable: false,
        processId: context.processId,
        request: context.request,
      });
    }
    if (status === 404) {
      const reason = `process ${context.processId} is unknown to Midaxo (HTTP 404); check the configured process ids`;
      return apiError(context, reason, { status, retryable: false });
    }
    if (status === 429) {
      const retryAfter = retryAfterMs(headers.get('retry-after'), now().getTime());
      const error = apiError(context, 'rate limited (HTTP 429)', { status, retryable: true });
      const waitMs = retryAfter === undefined ? undefined : Math.min(retryAfter, maxRetryAfterMs);
      options.rateLimit?.pauseFor(waitMs);
      return new TransientFailure(error, waitMs);
    }
    if (status >= 500 || status === 413) {
      const reason = status === 413 ? 'response too large (HTTP 413)' : `server error (HTTP ${status})`;
      return new TransientFailure(apiError(context, reason, { status, retryable: true }));
    }
    return apiError(context, `request refused (HTTP ${status}${excerpt(text, token, options.secrets)})`, {
      status,
      retryable: false,
    });
  }

  function parsePage(status: number, text: string, first: number, context: RequestContext): ProjectPage {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the body, so it is not passed on.
      const reason = `the response body is not valid JSON (${text.length} characters; truncated?)`;
      throw new TransientFailure(apiError(context, reason, { status, retryable: true }));
    }
    try {
      return parseProjectPage(body, first);
    } catch (e: unknown) {
      if (!(e instanceof InvalidProjectPageError)) throw e;
      throw apiError(context, `unexpected listing response: ${e.message}`, {
        status,
        retryable: false,
        cause: e,
      });
    }
  }

  return { fetchPage };
}

/**
 * The start of an error body, which usually says what was wrong with the request. Some gateways quote
 * the Authorization header back, so the token is taken out in every form it could take.
 */
function excerpt(text: string, token: string, secrets: readonly SecretToHide[] = []): string {
  const quoted = quoteUntrusted(text, {
    maxLength: ERROR_CHARS_SHOWN,
    redact: createRedactor([{ value: token }, ...secrets]),
  });
  return quoted === '' ? '' : `: ${quoted}`;
}
