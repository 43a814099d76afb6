import { describe, expect, it } from 'vitest';
import { burstEvent, burstEvents } from '../../bench/delivery/burst-events.js';
import { renderEmailDigest } from '../../shared/notifications/email-digest.js';
import { MAX_LISTED, renderSlackDigest } from '../../shared/notifications/slack-digest.js';
import { SLACK_LIMITS, type SlackMessage } from '../../shared/notifications/slack-message.js';
import { changeEventOf } from './sample-events.js';

function texts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) =>
    block.type === 'context' ? block.elements.map((e) => e.text) : [block.text.text],
  );
}

/** A deal whose name and values are as long and as escapable as Midaxo allows. */
function hostileEvent(n: number) {
  const event = burstEvent(n);
  const noisy = `<!channel> *&*_~\`${'&<>'.repeat(400)}`;
  return {
    ...event,
    data: {
      ...event.data,
      project: { ...event.data.project, name: noisy },
      changes: event.data.changes.map((c) => ({ ...c, before: noisy, after: noisy })),
    },
  };
}

describe('Slack digest', () => {
  it('counts deals by kind and fields by deals, exactly, with the subject as notification text', () => {
    const events = burstEvents(100);
    const message = renderSlackDigest(events);
    const all = texts(message).join('\n');

    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Midaxo: 100 deals changed', emoji: false },
    });
    expect(all).toContain('100 changes to 100 deals: *8* created');
    expect(all).toContain(
      `… and ${100 - MAX_LISTED} more changes to ${100 - MAX_LISTED} deals not listed here`,
    );
    expect(all).toContain('(100 changes to 100 deals in all)');
    expect(message.text).toMatch(/^Midaxo: 100 deals changed \(stage \d+/);
  });

  it('lists changes by name in time order, with what changed', () => {
    const message = renderSlackDigest([changeEventOf('updated'), burstEvent(2)]);
    const all = texts(message).join('\n');

    expect(all).toContain('• *Project 3* updated: stage: Negotiation → Signing');
    expect(all).toContain('• *Project Falcon* updated');
  });

  it('stays within Block Kit limits however many and however hostile the events', () => {
    for (const events of [burstEvents(1000), Array.from({ length: 200 }, (_, n) => hostileEvent(n))]) {
      const message = renderSlackDigest(events);

      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.maxBlocks);
      for (const block of message.blocks) {
        if (block.type === 'header')
          expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.maxHeaderLength);
        if (block.type === 'section')
          expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.maxTextLength);
      }
      expect(JSON.stringify(message)).not.toContain('<!channel>');
    }
  });

  it('counts the same event delivered twice once', () => {
    const events = burstEvents(3);
    expect(texts(renderSlackDigest([...events, ...events])).join('\n')).toContain('3 changes to 3 deals');
  });
});

describe('email digest', () => {
  it('has an ASCII subject under 100 characters naming the deals and fields, and a body grouped by deal', () => {
    const events = [...burstEvents(13).slice(1), changeEventOf('created'), changeEventOf('updated')];
    const { subject, body } = renderEmailDigest(events);

    expect(subject).toMatch(/^Midaxo: 13 deals changed \(stage \d+, owner \d+\)$/);
    expect(subject.length).toBeLessThan(100);
    expect(body).toContain('Project "Project Falcon" (process proc-emea, project prj-000001)');
    expect(body.indexOf('created')).toBeLessThan(body.lastIndexOf('updated'));
  });

  it('stays under its size bound and says exactly what it left out', () => {
    const hostile = Array.from({ length: 2000 }, (_, n) => hostileEvent(n));
    const { subject, body } = renderEmailDigest(hostile);

    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(200 * 1024);
    expect(body).toMatch(/… and \d+ more deals \(\d+ changes\) not listed here\./);
    expect(subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});
