import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/core/change-event.js';
import {
  renderSlackMessage,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
} from '../../shared/notifications/slack-message.js';
import { changeEventOf, FALCON, shortenedFalconUpdate } from './sample-events.js';

function textsOf(block: SlackBlock): string[] {
  return block.type === 'context' ? block.elements.map((element) => element.text) : [block.text.text];
}

function allText(message: SlackMessage): string {
  return message.blocks.flatMap(textsOf).join('\n');
}

/** The texts Slack reads as markup; a header is plain text and shows `<` as it is. */
function markupText(message: SlackMessage): string {
  return message.blocks
    .filter((block) => block.type !== 'header')
    .flatMap(textsOf)
    .join('\n');
}

function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.maxBlocks);
  for (const block of message.blocks) {
    for (const text of textsOf(block)) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.maxTextLength);
    if (block.type === 'header')
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.maxHeaderLength);
    if (block.type === 'context')
      expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.maxContextElements);
  }
}

describe('renderSlackMessage', () => {
  it('shows a header, the changes as before → after, and process, project, time and event id', () => {
    const event = changeEventOf('updated');

    const message = renderSlackMessage(event);

    expect(message.text).toBe('Midaxo: "Project Falcon" updated (owner, stage)');
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Updated: Project Falcon', emoji: false } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Project Falcon* was updated.', verbatim: true },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          verbatim: true,
          text: [
            '• *owner › id*: usr-1001 → usr-1002',
            '• *owner › name*: Aino Virtanen → James Whitfield',
            '• *stage*: Screening → Due Diligence',
          ].join('\n'),
        },
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Process `proc-emea`', verbatim: true },
          { type: 'mrkdwn', text: 'Project `prj-000001`', verbatim: true },
          {
            type: 'mrkdwn',
            text: '<!date^1795771800^{date_short_pretty} at {time}|2026-11-27T09:30:00.000Z>',
            verbatim: true,
          },
          { type: 'mrkdwn', text: `Event \`${event.id}\``, verbatim: true },
        ],
      },
    ]);
  });

  it('lists a new project’s fields and says a deletion without listing fields', () => {
    expect(allText(renderSlackMessage(changeEventOf('created')))).toContain('• *stage*: Due Diligence');
    const deleted = renderSlackMessage(changeEventOf('deleted'));
    expect(deleted.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Deleted: Project Falcon' } });
    expect(allText(deleted)).toContain('*Project Falcon* was deleted: Midaxo no longer lists it.');
    expect(allText(deleted)).not.toContain('•');
  });

  it('escapes what Slack would read as markup, so a value cannot mention @channel or add a link', () => {
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: 'A&B <!channel>' },
      changes: [{ path: '/notes', before: '<https://evil.example|click>', after: 'ok' }],
    });

    const message = renderSlackMessage(event);
    const text = markupText(message);

    expect(text).toContain('*A&amp;B &lt;!channel&gt;* was updated.');
    expect(text).toContain('&lt;https://evil.example|click&gt; → ok');
    expect(text).not.toContain('<!channel>');
    expect(message.text).toBe('Midaxo: "A&amp;B &lt;!channel&gt;" updated (notes)');
  });

  it('marks every mrkdwn text verbatim, so Slack links or mentions nothing it finds in data', () => {
    const message = renderSlackMessage(changeEventOf('updated'));

    const texts = message.blocks.flatMap((block) =>
      block.type === 'context' ? block.elements : [block.text],
    );
    for (const text of texts) {
      if (text.type === 'mrkdwn') expect(text.verbatim).toBe(true);
      else expect(text.emoji).toBe(false);
    }
  });

  it('neutralises backticks and *, _ and ~ from data, so they neither break code spans nor format text', () => {
    const base = changeEventOf('updated', {
      project: { ...FALCON, id: 'prj*1`', name: '*Bold* _it_ ~gone~ `code`' },
      changes: [{ path: '/stage_name', before: '`a`', after: '*b*' }],
    });
    const event: ChangeEvent = {
      ...base,
      subject: 'prj*1`',
      data: { ...base.data, processId: 'proc`_x', projectId: 'prj*1`' },
    };

    const message = renderSlackMessage(event);
    const text = markupText(message);

    expect(text).toContain('*∗Bold∗ ˍitˍ ∼gone∼ ˋcodeˋ* was updated.');
    expect(text).toContain('• *stageˍname*: ˋaˋ → ∗b∗');
    expect(text).toContain('Process `procˋ_x`');
    expect(text).toContain('Project `prj*1ˋ`');
    // Apart from the markup the renderer adds itself, no formatting character is left.
    const ours = text
      .replaceAll(/`[^`\n]*`/g, '')
      .replaceAll(/\*[^*\n]+\*/g, '')
      .replaceAll(/<!date\^[^>]*>/g, '');
    expect(ours).not.toMatch(/[*_~`]/);
    expect(message.text).toBe('Midaxo: "∗Bold∗ ˍitˍ ∼gone∼ ˋcodeˋ" updated (stageˍname)');
  });

  it('strips bidirectional overrides from every text', () => {
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: 'Falcon \u202egnp.exe\u202c' },
      changes: [{ path: '/stage', before: '\u2066a\u2069', after: 'b\u202d' }],
    });

    const message = renderSlackMessage(event);

    expect(JSON.stringify(message)).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(allText(message)).toContain('Falcon gnp.exe');
  });

  it('keeps the header within 150 UTF-16 code units, whatever the name is written in', () => {
    const event = changeEventOf('updated', { project: { ...FALCON, name: '😀'.repeat(120) } });

    const header = renderSlackMessage(event).blocks[0];

    expect(header?.type).toBe('header');
    const text = header?.type === 'header' ? header.text.text : '';
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.maxHeaderLength);
    expect(text.endsWith('…')).toBe(true);
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('renders a project with a 5 MB text field as a message of bounded size', () => {
    const huge = `${'Investment memo notes. '.repeat(230_000)}\n`;
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: huge, description: huge },
      changes: [{ path: '/description', before: huge, after: `${huge}!` }],
    });

    const message = renderSlackMessage(event);

    expectWithinSlackLimits(message);
    expect(JSON.stringify(message).length).toBeLessThan(5_000);
  });

  it('stays within Slack’s limits for a change too large to show, even when every character needs escaping', () => {
    const changes = Array.from({ length: 200 }, (_, n) => ({
      path: `/${'&'.repeat(300)}${n}`,
      before: '<'.repeat(5_000),
      after: { nested: '>'.repeat(5_000) },
    }));
    const event: ChangeEvent = changeEventOf('updated', {
      project: { ...FALCON, name: '&'.repeat(500) },
      changes,
    });

    const message = renderSlackMessage(event);

    expectWithinSlackLimits(message);
    expect(allText(message)).toContain('… and 170 more changes');
  });

  it('packs short changes into few blocks', () => {
    const changes = Array.from({ length: 30 }, (_, n) => ({ path: `/field${n}`, before: n, after: n + 1 }));

    const message = renderSlackMessage(changeEventOf('updated', { changes }));

    expectWithinSlackLimits(message);
    expect(message.blocks.filter((block) => block.type === 'section')).toHaveLength(2);
  });

  it('shows a shortened event of 12,000 changes with the deal’s name, its first changes, and where the rest is', () => {
    const message = renderSlackMessage(shortenedFalconUpdate());
    const texts = JSON.stringify(message);

    expect(message.blocks[0]).toMatchObject({ text: { text: 'Updated: Project Falcon' } });
    expect(message.text).toContain('"Project Falcon" updated');
    expect(texts).toContain('• *customFields › field00000*: old value 0 → new value 0');
    expect(texts).toContain('… and 11970 more changes');
    expect(texts).toContain('The event log keeps the event as sent');
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.maxBlocks);
  });

  it('notes an update whose changed fields are unknown', () => {
    const message = renderSlackMessage(changeEventOf('updated', { changes: [], diffUnavailable: true }));

    expect(allText(message)).toContain('the changed fields cannot be listed');
  });
});
