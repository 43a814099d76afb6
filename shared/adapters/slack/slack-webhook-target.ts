/**
 * A Slack incoming webhook as a paced target (shared/delivery/drain-to-paced-target.ts): each send is
 * one POST of the Block Kit message as JSON, bounded by a request timeout; the drain does the pacing
 * and the waiting, for the whole webhook. Slack takes about one message a second per webhook, with
 * short bursts, and answers 429 with `Retry-After` past that.
 *  - 2xx: delivered;
 *  - 429 (with the wait `Retry-After` asks for), 5xx, a dropped connection or a timeout: retry later;
 *  - anything else is rejected at once: a redirect, which is never followed, 400 invalid_blocks, 403,
 *    404 no_service, 410 ..., quoting no more of Slack's answer than a plain error code.
 * The webhook URL is a credential: it appears in no outcome.
 * Layer: adapter.
 */
import type { PacedTarget, PacingOptions, SendOutcome } from '../../delivery/drain-to-paced-target.js';
import type { SlackMessage } from '../../notifications/slack-message.js';
import { readBodyStart } from '../../support/bounded-body.js';
import { retryAfterMs } from '../../support/retry-after.js';
import { errorCode, networkErrorCode } from '../../support/untrusted-text.js';
import type { WebhookUrlReader } from './slack-webhook-secret.js';

/** Slack's answers are short codes; more than this is not read. */
const ERROR_BODY_BYTES = 4 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;

/** Slack's documented rate for an incoming webhook: one message a second. */
export const SLACK_PACING: PacingOptions = {
  minIntervalMs: 1_000,
  retryPause: {
    backoff: { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 1_000, maxDelayMs: 30_000 },
    maxPauseMs: 60_000,
  },
  sendTimeoutMs: REQUEST_TIMEOUT_MS + 1_000,
};

export interface SlackWebhookTargetOptions {
  readonly webhookUrl: WebhookUrlReader;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default 10_000 */
  readonly requestTimeoutMs?: number;
}

export function createSlackWebhookTarget(options: SlackWebhookTargetOptions): PacedTarget<SlackMessage> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  return {
    send: async (message) => {
      const url = await options.webhookUrl();
      return attemptSlackPost(doFetch, url, JSON.stringify(message), timeoutMs, now);
    },
  };
}

/**
 * One POST of `body` to the webhook and what came of it: delivered, worth retrying (429 with the wait
 * `Retry-After` asks for, 5xx, no answer) or rejected. Never throws.
 */
async function attemptSlackPost(
  doFetch: typeof fetch,
  url: string,
  body: string,
  timeoutMs: number,
  now: () => number,
): Promise<SendOutcome> {
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
  if (response.ok) return { kind: 'delivered' };
  if (response.status >= 300 && response.status <= 399) {
    return {
      kind: 'rejected',
      reason: `Slack answered with a redirect (HTTP ${response.status}), which is not followed: check the webhook URL`,
    };
  }
  if (response.status === 429) {
    return {
      kind: 'retry',
      reason: '429',
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now()),
    };
  }
  if (response.status >= 500) return { kind: 'retry', reason: String(response.status) };
  return {
    kind: 'rejected',
    reason: `Slack refused the message with HTTP ${response.status}${slackErrorCode(text)}; not retried, as it would fail the same way`,
  };
}

/** Slack answers errors with a short code such as `invalid_blocks` or `no_service`; anything else is left out. */
function slackErrorCode(body: string): string {
  const code = errorCode(body.trim());
  return code === undefined ? '' : ` (${code})`;
}
