/**
 * A stand-in for a Slack incoming webhook, as a `fetch`: it takes one message a second with a burst
 * of `burst` (a token bucket on the given clock) and answers `429` with `Retry-After` beyond; while
 * `isDown()` it answers `503`. It keeps every message it took and counts what it refused, so a test or
 * the bench can tell what a channel would have shown.
 */

import type { DrainClock } from '../../shared/delivery/drain-to-paced-target.js';
import type { SlackMessage } from '../../shared/notifications/slack-message.js';

export interface SlackStandInOptions {
  readonly clock: Pick<DrainClock, 'now'>;
  /** @default 1 */
  readonly messagesPerSecond?: number;
  /** @default 10 */
  readonly burst?: number;
  /** What `Retry-After` says, in whole seconds. @default 1 */
  readonly retryAfterSeconds?: number;
  /** @default never */
  readonly isDown?: (nowMs: number) => boolean;
  /** Answers 400 invalid_blocks to a message it matches. @default none */
  readonly refuses?: (message: SlackMessage) => boolean;
}

export interface SlackStandIn {
  readonly fetch: typeof fetch;
  readonly posted: SlackMessage[];
  readonly tally: { throttled: number; unavailable: number; refused: number };
}

export function createSlackStandIn(options: SlackStandInOptions): SlackStandIn {
  const rate = options.messagesPerSecond ?? 1;
  const burst = options.burst ?? 10;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const posted: SlackMessage[] = [];
  const tally = { throttled: 0, unavailable: 0, refused: 0 };
  let tokens = burst;
  let filledAt = options.clock.now();

  const refill = (nowMs: number) => {
    tokens = Math.min(burst, tokens + ((nowMs - filledAt) / 1000) * rate);
    filledAt = nowMs;
  };

  const standInFetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const nowMs = options.clock.now();
    if (options.isDown?.(nowMs) === true) {
      tally.unavailable++;
      return new Response('service_unavailable', { status: 503 });
    }
    refill(nowMs);
    if (tokens < 1) {
      tally.throttled++;
      return new Response('rate_limited', { status: 429, headers: { 'retry-after': retryAfter } });
    }
    const message = JSON.parse(String(init?.body)) as SlackMessage;
    if (options.refuses?.(message) === true) {
      tally.refused++;
      return new Response('invalid_blocks', { status: 400 });
    }
    tokens -= 1;
    posted.push(message);
    return new Response('ok', { status: 200 });
  };
  return { fetch: standInFetch as typeof fetch, posted, tally };
}
