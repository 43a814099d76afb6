/**
 * EventPublisher that POSTs each event, as a CloudEvents JSON document (structured mode), to every webhook
 * URL, signed as Standard Webhooks prescribes. Layer: adapter.
 *  1. per webhook and event: sign with a fresh timestamp (receivers reject stale ones) and POST;
 *  2. 2xx is accepted; 429 (after `Retry-After`, capped), 5xx, timeouts and broken connections are retried
 *     with the shared backoff; any other answer (3xx included: a redirect would carry the body elsewhere)
 *     fails at once;
 *  3. deliveries run with bounded concurrency; once one has failed for good no new one starts, and the
 *     publish throws a WebhookDeliveryError. The caller then keeps its state, so the next run sends the
 *     same events again under the same `webhook-id`, which receivers use to de-duplicate.
 */
import type { ChangeEvent } from '../../core/change-event.js';
import type { EventPublisher } from '../../core/ports.js';
import { type BackoffPolicy, backoffDelayMs, retryPacingOf, type Sleep } from '../../support/backoff.js';
import { readBodyStart } from '../../support/bounded-body.js';
import { forEachBounded } from '../../support/for-each-bounded.js';
import { createRedactor, networkErrorCode, quoteUntrusted } from '../../support/untrusted-text.js';
import { signWebhook, webhookSigningKey } from './standard-webhooks-signature.js';
import { WebhookDeliveryError, type WebhookFailure } from './webhook-errors.js';
import { type WebhookTarget, webhookTargets } from './webhook-target.js';

export const CLOUDEVENTS_JSON = 'application/cloudevents+json; charset=utf-8';

/** How much of a receiver's error answer is read, and how much of it an error quotes. */
const ERROR_BODY_BYTES = 16 * 1024;
const ERROR_CHARS_SHOWN = 200;

export interface WebhookEventPublisherOptions {
  /** https:// URLs; http:// only for localhost. */
  readonly urls: readonly string[];
  /** `whsec_<base64 key>`, shared with every receiver. */
  readonly secret: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Per attempt, response included. @default 10000 */
  readonly timeoutMs?: number;
  /** @default DEFAULT_BACKOFF */
  readonly backoff?: BackoffPolicy;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Longest `Retry-After` honoured. @default 30000 */
  readonly maxRetryAfterMs?: number;
  /** Deliveries in flight at once, over all webhooks. @default 4 */
  readonly concurrency?: number;
  /** Signs the `webhook-timestamp`. @default () => new Date() */
  readonly now?: () => Date;
  readonly userAgent?: string;
}

/** Why an attempt failed, and whether another attempt may succeed. */
interface AttemptFailure {
  readonly reason: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
}

export function createWebhookEventPublisher(options: WebhookEventPublisherOptions): EventPublisher {
  const targets = webhookTargets(options.urls);
  const key = webhookSigningKey(options.secret);
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { backoff: policy, sleep, random } = retryPacingOf(options);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const now = options.now ?? (() => new Date());
  const userAgent = options.userAgent ?? 'midaxo-change-notifier';
  const redact = createRedactor([{ value: options.secret }]);

  async function attempt(
    target: WebhookTarget,
    id: string,
    body: string,
  ): Promise<AttemptFailure | undefined> {
    const timestamp = Math.floor(now().getTime() / 1000);
    let response: Response;
    try {
      response = await fetch(target.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': CLOUDEVENTS_JSON,
          'user-agent': userAgent,
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(key, { id, timestamp, body }),
        },
        body,
      });
    } catch (e: unknown) {
      if (isAbortedByCaller(e)) throw e;
      return { reason: transportReason(e, timeoutMs), retryable: true };
    }
    const { status } = response;
    if (status >= 200 && status <= 299) {
      await response.body?.cancel().catch(() => undefined);
      return undefined;
    }
    const text = await readBodyStart(response, ERROR_BODY_BYTES);
    if (status === 429) {
      const retryAfter = retryAfterMs(response.headers.get('retry-after'), now());
      return {
        reason: 'HTTP 429 (rate limited)',
        retryable: true,
        retryAfterMs: retryAfter === undefined ? undefined : Math.min(retryAfter, maxRetryAfterMs),
      };
    }
    if (status >= 500) return { reason: `HTTP ${status}${excerpt(text)}`, retryable: true };
    const hint = status >= 300 && status <= 399 ? ' (redirects are not followed; use the final URL)' : '';
    return { reason: `HTTP ${status}${hint}${excerpt(text)}`, retryable: false };
  }

  /** The start of the receiver's answer, which usually says what it disliked; cleaned, short, no secret. */
  function excerpt(text: string): string {
    const quoted = quoteUntrusted(text, { maxLength: ERROR_CHARS_SHOWN, redact });
    return quoted === '' ? '' : `: ${quoted}`;
  }

  async function deliver(target: WebhookTarget, event: ChangeEvent, body: string): Promise<void> {
    for (let attemptNumber = 1; ; attemptNumber++) {
      const failure = await attempt(target, event.id, body);
      if (failure === undefined) return;
      if (!failure.retryable || attemptNumber >= policy.maxAttempts) {
        const tries = attemptNumber > 1 ? ` after ${attemptNumber} attempts` : '';
        const detail: WebhookFailure = {
          webhook: target.label,
          eventId: event.id,
          reason: `${failure.reason}${tries}`,
        };
        throw new WebhookDeliveryError([detail]);
      }
      await sleep(failure.retryAfterMs ?? backoffDelayMs(attemptNumber, policy, random));
    }
  }

  return {
    async publish(events) {
      const deliveries = events.flatMap((event) => {
        const body = JSON.stringify(event);
        return targets.map((target) => ({ target, event, body }));
      });
      await forEachBounded(deliveries, options.concurrency ?? 4, ({ target, event, body }) =>
        deliver(target, event, body),
      );
    },
  };
}

/** Ctrl-C in the local mode aborts through the fetch it passes in; that is a stop, not a delivery failure to retry. */
function isAbortedByCaller(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** By code only (ECONNREFUSED): fetch's message may quote the URL, whose path often holds a token. */
function transportReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  return `connection failed (${networkErrorCode(error)})`;
}

function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
