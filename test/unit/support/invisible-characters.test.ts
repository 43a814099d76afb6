/**
 * One cleaner for every text a person reads: whatever a project's name, ids, field names and values
 * hold, neither the email (subject and body) nor any Slack text (header, sections, context, `text`)
 * nor a quoted error keeps a `Bidi_Control` or `Default_Ignorable_Code_Point` character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../shared/notifications/email-message.js';
import { renderSlackMessage } from '../../../shared/notifications/slack-message.js';
import { withoutInvisibleCharacters } from '../../../shared/support/invisible-characters.js';
import { quoteUntrusted } from '../../../shared/support/untrusted-text.js';
import { changeEventOf, FALCON } from '../../notifications/sample-events.js';

const INVISIBLE = /[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]/u;
/** LRM, RLM, ALM, an override, an isolate, zero-width space and joiner, soft hyphen, BOM, a tag, a variation selector. */
const KNOWN_INVISIBLES = [
  '\u200e',
  '\u200f',
  '\u061c',
  '\u202e',
  '\u2067',
  '\u200b',
  '\u200d',
  '\u00ad',
  '\ufeff',
  '\u{e0041}',
  '\ufe0f',
];

/** Text mixing ordinary characters with invisible ones from anywhere in Unicode. */
const textWithInvisibles = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      fc.constantFrom(...KNOWN_INVISIBLES),
      fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('the invisible-character cleaner', () => {
  it('removes every Bidi_Control and Default_Ignorable_Code_Point character and keeps the rest in order', () => {
    fc.assert(
      fc.property(textWithInvisibles, (text) => {
        const cleaned = withoutInvisibleCharacters(text);
        expect(cleaned).not.toMatch(INVISIBLE);
        expect(cleaned).toBe([...text].filter((char) => !INVISIBLE.test(char)).join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves nothing invisible in an email or a Slack message, whatever the project holds', () => {
    fc.assert(
      fc.property(textWithInvisibles, textWithInvisibles, textWithInvisibles, (name, field, value) => {
        const project = { ...FALCON, name, [field || 'x']: value };
        const event = changeEventOf('updated', {
          project,
          changes: [
            { path: `/${field}`, before: `${value}${name}`, after: value },
            { path: '/owner', before: { name }, after: { name: value } },
          ],
        });
        const email = renderEmail(event);
        expect(email.subject).not.toMatch(INVISIBLE);
        expect(email.body).not.toMatch(INVISIBLE);
        expect(JSON.stringify(renderSlackMessage(event))).not.toMatch(INVISIBLE);
      }),
      { numRuns: 300 },
    );
  });

  it('shows "Falcon" for a name whose direction marks would hide or reorder it', () => {
    const event = changeEventOf('updated', { project: { ...FALCON, name: '\u200fFal\u061ccon\u200e' } });

    expect(renderEmail(event).body).toContain('Project "Falcon" was updated.');
    expect(renderSlackMessage(event).blocks[0]).toMatchObject({ text: { text: 'Updated: Falcon' } });
    expect(quoteUntrusted('bad\u200e \u200dtoken\u00ad', { maxLength: 100 })).toBe('bad token');
  });
});
