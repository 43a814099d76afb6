/**
 * docs/webhooks.md tells receiver authors what they get; the numbers and names it states are checked
 * against the code, so the page cannot drift from what is sent.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CLOUDEVENTS_JSON,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
} from '../../shared/adapters/webhook/webhook-event-publisher.js';
import {
  MAX_RETRY_AFTER_MS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from '../../shared/adapters/webhook/webhook-retry-schedule.js';

const page = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');

function spoken(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

describe('docs/webhooks.md', () => {
  it('states the retry schedule the publisher follows', () => {
    const waits = WEBHOOK_RETRY_DELAYS_SECONDS.map(spoken);
    const sentence = `${waits.slice(0, -1).join(', ')} and ${waits.at(-1)}`;

    expect(page).toContain(`<!-- retry-schedule -->${sentence}<!-- /retry-schedule -->`);
    expect(page).toContain(`${WEBHOOK_RETRY_DELAYS_SECONDS.length + 1} attempts over about 24 hours`);
    const total = WEBHOOK_RETRY_DELAYS_SECONDS.reduce((sum, s) => sum + s, 0);
    expect(Math.round(total / 3600)).toBe(24);
    expect(page).toContain(`up to an hour`);
    expect(MAX_RETRY_AFTER_MS).toBe(3_600_000);
  });

  it('states the timeout and the content type that are sent', () => {
    expect(page).toContain(`complete within **${DEFAULT_WEBHOOK_TIMEOUT_MS / 1000} seconds**`);
    expect(page).toContain(`no answer in ${DEFAULT_WEBHOOK_TIMEOUT_MS / 1000} s`);
    expect(page).toContain(`\`${CLOUDEVENTS_JSON}\``);
  });

  it('verifies with the standardwebhooks library and takes the secret from WEBHOOK_SECRET, not a flag', () => {
    const snippet = /```ts\n([\s\S]*?)```/.exec(page)?.[1] ?? '';

    expect(snippet).toContain("import { Webhook } from 'standardwebhooks';");
    expect(snippet).toContain('new Webhook(process.env.WEBHOOK_SECRET');
    expect(snippet).toContain('webhook.verify(');
    expect(page).not.toMatch(/--webhook-secret whsec/);
  });
});
