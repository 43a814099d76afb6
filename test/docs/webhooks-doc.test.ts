/**
 * docs/webhooks.md tells receiver authors what they get; the numbers and names it states are checked
 * against the code, so the page cannot drift from what is sent.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFlags } from '../../local/cli-flags.js';
import { parseLocalOptions } from '../../local/local-options.js';
import {
  CLOUDEVENTS_JSON,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
} from '../../shared/adapters/webhook/webhook-event-publisher.js';
import {
  MAX_RETRY_AFTER_MS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from '../../shared/adapters/webhook/webhook-retry-schedule.js';
import { fetchBlockedPort } from '../../shared/support/fetch-bad-ports.js';
import { secureUrl } from '../../shared/support/secure-url.js';

const page = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
const receiverSnippet = /```ts\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

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
    const snippet = receiverSnippet;

    expect(snippet).toContain("import { Webhook } from 'standardwebhooks';");
    expect(snippet).toContain('new Webhook(process.env.WEBHOOK_SECRET');
    expect(snippet).toContain('webhook.verify(');
    expect(page).not.toMatch(/--webhook-secret whsec/);
  });

  it('shows the npm start line that feeds the sample receiver, on the port it listens on', () => {
    const command = /^npm start -- (--webhook (http:\/\/localhost:(\d+)\/\S*))/m.exec(page);
    const [, flags = '', url = '', port = ''] = command ?? [];
    const options = parseLocalOptions(readFlags(flags.split(' ')), { WEBHOOK_SECRET: SECRET });

    expect(receiverSnippet).toContain(`.listen(${port})`);
    expect(options.source.kind).toBe('sandbox');
    expect(options.webhooks?.urls).toEqual([url]);
  });

  it('names the loopback hosts plain http may reach, in the local mode only', () => {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) {
      expect(page).toContain(`\`${host}\``);
      expect(secureUrl(`http://${host}:8080/midaxo`)).toBeDefined();
      expect(secureUrl(`http://${host}:8080/midaxo`, { loopback: false })).toBeUndefined();
    }
    expect(secureUrl('http://hooks.example.com/midaxo')).toBeUndefined();
  });

  it('names ports that are refused at start because fetch never connects to them', () => {
    const named = /bad ports\]\([^)]*\), such as ([\d, or]+)\)/.exec(page)?.[1] ?? '';
    const ports = named.split(/, | or /).map(Number);

    expect(ports.length).toBeGreaterThan(1);
    for (const port of ports) expect(fetchBlockedPort(`http://localhost:${port}/midaxo`)).toBe(port);
  });
});
