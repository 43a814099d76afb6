/**
 * One delivery attempt of one event to one webhook, the same in the local mode and in the deployed
 * worker: the event's JSON as the body, byte for byte, `webhook-id` = the event id, a fresh
 * `webhook-timestamp` (receivers refuse stale ones) and its signature(s); `redirect: 'manual'`, one
 * timeout for the whole attempt (a plain timer, see abort-scope.ts; connecting is bounded by it too),
 * and at most a few kilobytes of the answer read, to quote what the receiver disliked.
 * Layer: adapter (webhook).
 */
import { abortScope } from '../../support/abort-scope.js';
import { readBodyUpTo } from '../../support/bounded-body.js';
import { retryAfterMs } from '../../support/retry-after.js';
import {
  createRedactor,
  networkErrorCode,
  quoteUntrusted,
  type Redact,
  type SecretToHide,
} from '../../support/untrusted-text.js';
import type { WebhookSigner } from './standard-webhooks-signature.js';

export const CLOUDEVENTS_JSON = 'application/cloudevents+json; charset=utf-8';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_USER_AGENT = 'midaxo-change-notifier';
/** Bytes of a receiver's answer read, to quote what it disliked; the rest is not waited for. */
const MAX_ANSWER_BYTES = 4096;

/** Why an attempt failed, and what that says about the receiver. */
export interface WebhookAttemptFailure {
  readonly reason: string;
  /** The receiver is down or overloaded (no answer, 408, 429, 5xx): try nothing more on it for now. */
  readonly unhealthy: boolean;
  /** `410 Gone`: the receiver asks to be sent nothing more. */
  readonly gone?: boolean;
  readonly retryAfterMs?: number;
}

export interface SignedWebhookPost {
  readonly url: URL;
  readonly id: string;
  readonly body: string;
  readonly signer: WebhookSigner;
  readonly fetch: typeof globalThis.fetch;
  /** Signs the `webhook-timestamp`. */
  readonly now: () => Date;
  /** @default DEFAULT_WEBHOOK_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** @default WEBHOOK_USER_AGENT */
  readonly userAgent?: string;
  /** Values a quoted answer must not repeat besides the URL's path and query (the signing secret). */
  readonly alsoHide?: readonly string[];
}

/** Undefined when the receiver answered 2xx; an abort by the caller (a stop) is thrown, not reported. */
export async function postSignedWebhook(post: SignedWebhookPost): Promise<WebhookAttemptFailure | undefined> {
  const timeoutMs = post.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const timestamp = post.now();
  const scope = abortScope({ timeoutMs });
  try {
    const response = await post.fetch(post.url, {
      method: 'POST',
      redirect: 'manual',
      signal: scope.signal,
      headers: {
        'content-type': CLOUDEVENTS_JSON,
        'user-agent': post.userAgent ?? WEBHOOK_USER_AGENT,
        'webhook-id': post.id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': post.signer.sign(post.id, timestamp, post.body),
      },
      body: post.body,
    });
    const answer = await readAnswer(response);
    // Built only for an answer that is quoted: a delivered event's answer never is.
    const redact: Redact = (text) => createRedactor(secretsOfTarget(post.url, post.alsoHide ?? []))(text);
    return failureOf(response, answer, timestamp.getTime(), redact);
  } catch (e: unknown) {
    if (isAbortedByCaller(e)) throw e;
    return { reason: transportReason(e, timeoutMs), unhealthy: true };
  } finally {
    scope.release();
  }
}

function failureOf(
  response: Response,
  answer: string,
  nowMs: number,
  redact: Redact,
): WebhookAttemptFailure | undefined {
  const { status } = response;
  if (status >= 200 && status <= 299) return undefined;
  if (status === 410) return { reason: 'HTTP 410 Gone', unhealthy: false, gone: true };
  if (status === 429 || status === 408 || status >= 500) {
    return {
      reason: `HTTP ${status}${excerpt(answer, redact)}`,
      unhealthy: true,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), nowMs),
    };
  }
  const hint = status >= 300 && status <= 399 ? ' (redirects are not followed; use the final URL)' : '';
  return { reason: `HTTP ${status}${hint}${excerpt(answer, redact)}`, unhealthy: false };
}

/** The start of the receiver's answer, read within the attempt's timeout; a receiver may send without end. */
async function readAnswer(response: Response): Promise<string> {
  try {
    return (await readBodyUpTo(response, MAX_ANSWER_BYTES)).text;
  } catch (e: unknown) {
    if (isAbortedByCaller(e)) throw e;
    return '';
  }
}

/** Ctrl-C in the local mode aborts through the fetch it passes in; that is a stop, not a delivery failure. */
function isAbortedByCaller(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function transportReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return `connection failed (${networkErrorCode(error)})`;
}

/**
 * What a receiver's answer must not repeat: the URL's path and query, which often hold a token (each
 * whole, and each parameter value), and the caller's secrets.
 */
function secretsOfTarget(url: URL, alsoHide: readonly string[]): SecretToHide[] {
  // A parameter value too short to be a token (`v=2`) would blank out every digit of the answer.
  const values = [...url.searchParams.values()].filter((value) => value.length >= 8);
  const parts = [url.pathname === '/' ? '' : url.pathname, url.search.slice(1), ...values];
  return [...alsoHide, ...parts].filter((part) => part !== '').map((value) => ({ value }));
}

/** The start of the receiver's answer, which usually says what it disliked: cleaned, short, redacted. */
function excerpt(text: string, redact: Redact): string {
  const quoted = quoteUntrusted(text, { maxLength: 200, redact });
  return quoted === '' ? '' : `: ${quoted}`;
}
