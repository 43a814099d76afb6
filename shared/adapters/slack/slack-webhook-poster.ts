/**
 * Posts Block Kit messages to a Slack incoming webhook.
 * Layer: adapter.
 *  1. POST the message as JSON, each attempt bounded by a request timeout;
 *  2. on 429, wait what `Retry-After` asks; on 5xx, a dropped connection or a timeout, back off with jitter;
 *  3. give up, throwing SlackDeliveryError, when attempts run out, when the next wait would pass the
 *     time budget, or at once on any other answer (a redirect, which is never followed, 400
 *     invalid_blocks, 403, 404 no_service, 410 ...):
 *     the caller's failure is what brings the message to a dead-letter queue instead of losing it.
 * The webhook URL is a credential: it appears in no error and no callback argument.
 */
import type { SlackPoster } from '../../notifications/forward-to-slack.js';
import type { SlackMessage } from '../../notifications/slack-message.js';
import { type BackoffPolicy, backoffDelayMs, sleep as realSleep, type Sleep } from '../../support/backoff.js';
import { readBodyStart } from '../../support/bounded-body.js';
import { retryAfterMs } from '../../support/retry-after.js';
import { errorCode, networkErrorCode } from '../../support/untrusted-text.js';
import { SlackDeliveryError } from './slack-delivery-error.js';
import type { WebhookUrlReader } from './slack-webhook-secret.js';

export const SLACK_BACKOFF: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Slack's answers are short codes; more than this is not read. */
const ERROR_BODY_BYTES = 4 * 1024;

export interface RetryNotice {
  readonly attempt: number;
  /** HTTP status, or the network error's code when no response came. */
  readonly reason: string;
  readonly delayMs: number;
}

export interface SlackWebhookPosterOptions {
  readonly webhookUrl: WebhookUrlReader;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default SLACK_BACKOFF */
  readonly backoff?: BackoffPolicy;
  /** Longest time one post may spend, waits included. @default 20_000 */
  readonly budgetMs?: number;
  /** @default 10_000 */
  readonly requestTimeoutMs?: number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Milliseconds on a monotonic or wall clock; only differences are used. @default Date.now */
  readonly now?: () => number;
  /** Called before each wait for a retry, e.g. to log it. */
  readonly onRetry?: (notice: RetryNotice) => void;
}

export type SlackPostOutcome =
  | { readonly kind: 'posted' }
  | { readonly kind: 'retry'; readonly reason: string; readonly status?: number; readonly waitMs?: number }
  | { readonly kind: 'failed'; readonly message: string; readonly status: number };

export function createSlackWebhookPoster(options: SlackWebhookPosterOptions): SlackPoster {
  const doFetch = options.fetch ?? globalThis.fetch;
  const policy = options.backoff ?? SLACK_BACKOFF;
  const budgetMs = options.budgetMs ?? 20_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const onRetry = options.onRetry ?? (() => {});

  async function post(message: SlackMessage): Promise<void> {
    const url = await options.webhookUrl();
    const body = JSON.stringify(message);
    const deadline = now() + budgetMs;
    let last: SlackPostOutcome | undefined;
    for (let attemptNo = 1; attemptNo <= policy.maxAttempts; attemptNo++) {
      const remaining = deadline - now();
      last = await attemptSlackPost(
        doFetch,
        url,
        body,
        Math.max(1, Math.min(requestTimeoutMs, remaining)),
        now,
      );
      if (last.kind === 'posted') return;
      if (last.kind === 'failed') throw new SlackDeliveryError(last.message, last.status, attemptNo);
      if (attemptNo === policy.maxAttempts) break;
      const delayMs = last.waitMs ?? backoffDelayMs(attemptNo, policy, random);
      if (now() + delayMs >= deadline) {
        throw new SlackDeliveryError(
          `Slack did not accept the message (last: ${describe(last)}) and the next try, in ${Math.ceil(delayMs / 1000)} s, ` +
            `would pass the ${Math.round(budgetMs / 1000)} s retry budget`,
          last.status,
          attemptNo,
        );
      }
      onRetry({ attempt: attemptNo, reason: last.reason, delayMs });
      await sleep(delayMs);
    }
    throw new SlackDeliveryError(
      `Slack did not accept the message after ${policy.maxAttempts} attempts (last: ${last === undefined ? 'none' : describe(last)})`,
      last?.kind === 'retry' ? last.status : undefined,
      policy.maxAttempts,
    );
  }

  return { post };
}

/**
 * One POST of `body` to the webhook and what came of it: posted, worth retrying (429 with the wait
 * `Retry-After` asks for, 5xx, no answer) or failed for good. Never throws.
 */
export async function attemptSlackPost(
  doFetch: typeof fetch,
  url: string,
  body: string,
  timeoutMs: number,
  now: () => number,
): Promise<SlackPostOutcome> {
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      // A redirect would post the message to wherever it points: a 3xx is a failure, never followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e: unknown) {
    return { kind: 'retry', reason: networkErrorCode(e) };
  }
  const text = await readBodyStart(response, ERROR_BODY_BYTES);
  if (response.ok) return { kind: 'posted' };
  if (response.status >= 300 && response.status <= 399) {
    return {
      kind: 'failed',
      status: response.status,
      message: `Slack answered with a redirect (HTTP ${response.status}), which is not followed: check the webhook URL`,
    };
  }
  if (response.status === 429) {
    return {
      kind: 'retry',
      reason: '429',
      status: 429,
      waitMs: retryAfterMs(response.headers.get('retry-after'), now()),
    };
  }
  if (response.status >= 500)
    return { kind: 'retry', reason: String(response.status), status: response.status };
  return {
    kind: 'failed',
    status: response.status,
    message: `Slack refused the message with HTTP ${response.status}${slackErrorCode(text)}; not retried, as it would fail the same way`,
  };
}

function describe(outcome: SlackPostOutcome): string {
  return outcome.kind === 'retry' && outcome.status !== undefined
    ? `HTTP ${outcome.status}`
    : outcome.kind === 'retry'
      ? outcome.reason
      : outcome.kind;
}

/** Slack answers errors with a short code such as `invalid_blocks` or `no_service`; anything else is left out. */
function slackErrorCode(body: string): string {
  const code = errorCode(body.trim());
  return code === undefined ? '' : ` (${code})`;
}
