/**
 * docs/events.md shows what subscribers receive; each example marked `<!-- kind: argument -->` is
 * compared with what the code produces for it, so the page cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { burstEvents } from '../../bench/delivery/burst-events.js';
import { toSnsMessage } from '../../shared/adapters/sns/sns-message.js';
import { EVENT_TYPES } from '../../shared/core/change-event.js';
import { changeEventSchema } from '../../shared/notifications/change-event-schema.js';
import { renderEmailDigest } from '../../shared/notifications/email-digest.js';
import { renderEmail } from '../../shared/notifications/email-message.js';
import { type NotificationFilter, snsFilterPolicy } from '../../shared/notifications/filter-policy.js';
import { renderSlackDigest } from '../../shared/notifications/slack-digest.js';
import { renderSlackMessage } from '../../shared/notifications/slack-message.js';
import { changeEventOf } from '../notifications/sample-events.js';

interface MarkedExample {
  readonly kind: string;
  readonly argument: string;
  readonly code: string;
}

const page = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');

function examples(kind: string): MarkedExample[] {
  const marked = /<!-- ([a-z-]+): (.+?) -->\n```[a-z]*\n([\s\S]*?)\n```/g;
  return [...page.matchAll(marked)]
    .map(([, found = '', argument = '', code = '']) => ({ kind: found, argument, code }))
    .filter((example) => example.kind === kind);
}

function example(kind: string, argument: string): string {
  const found = examples(kind).find((candidate) => candidate.argument === argument);
  if (found === undefined) throw new Error(`docs/events.md has no <!-- ${kind}: ${argument} --> example`);
  return found.code;
}

describe('docs/events.md', () => {
  it('shows each kind of event exactly as the core builds it, valid against the schema', () => {
    for (const kind of EVENT_TYPES) {
      const shown = JSON.parse(example('event-example', kind));
      expect(shown).toEqual(changeEventOf(kind));
      expect(changeEventSchema().safeParse(shown).success).toBe(true);
    }
  });

  it('shows the SNS publish request the publisher sends for the updated example', () => {
    const message = toSnsMessage(changeEventOf('updated'));

    expect(JSON.parse(example('rendering', 'sns-publish'))).toEqual({
      ...message,
      Message: JSON.parse(message.Message),
    });
  });

  it('shows the email exactly as rendered', () => {
    const email = renderEmail(changeEventOf('updated'));

    expect(`${example('rendering', 'email')}\n`).toBe(`Subject: ${email.subject}\n\n${email.body}`);
  });

  it('shows the email digest exactly as rendered', () => {
    const digest = renderEmailDigest(burstEvents(12));

    expect(`${example('rendering', 'email-digest')}\n`).toBe(`Subject: ${digest.subject}\n\n${digest.body}`);
  });

  it('shows the Slack message exactly as rendered', () => {
    expect(JSON.parse(example('rendering', 'slack'))).toEqual(renderSlackMessage(changeEventOf('updated')));
  });

  it('shows the Slack digest exactly as rendered', () => {
    expect(JSON.parse(example('rendering', 'slack-digest'))).toEqual(renderSlackDigest(burstEvents(12)));
  });

  it('shows for each filter the policy snsFilterPolicy makes of it', () => {
    const filters = examples('filter');
    expect(filters.length).toBeGreaterThanOrEqual(3);
    for (const { argument, code } of filters) {
      expect(JSON.parse(code), argument).toEqual(snsFilterPolicy(JSON.parse(argument) as NotificationFilter));
    }
  });
});
