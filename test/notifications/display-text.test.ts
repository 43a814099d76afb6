import { describe, expect, it } from 'vitest';
import {
  displayLine,
  displayTime,
  displayValue,
  oneLine,
  readablePath,
  shorten,
} from '../../shared/notifications/display-text.js';

describe('display text', () => {
  it('keeps a value from a project on one line without control characters', () => {
    expect(oneLine('Q3\nreview\t\u0007done\u2028now\u001b[31m')).toBe('Q3 review done now [31m');
  });

  it('removes bidirectional overrides and isolates, which could make text read in another order', () => {
    const tricky = 'Falcon\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 deal';

    expect(oneLine(tricky)).toBe('Falcon deal');
    expect(displayValue(tricky, 50)).toBe('Falcon deal');
    expect(readablePath('/a\u202eb')).toBe('ab');
  });

  it('shortens long text to the limit in UTF-16 code units, as Slack and SNS count, never splitting an emoji', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abcd', 4)).toBe('abcd');
    expect(shorten('😀😀😀😀😀', 5)).toBe('😀😀…');
    expect(shorten('😀😀😀😀😀', 4)).toBe('😀…');
    expect(shorten('abcdef', 4, '...')).toBe('a...');
  });

  it('looks only at the head of a huge text, and still says it was cut', () => {
    const huge = `${'word '.repeat(1_000_000)}end`;

    const shown = displayLine(huge, 40);

    expect(shown).toHaveLength(40);
    expect(shown.endsWith('…')).toBe(true);
    expect(displayLine(`${' '.repeat(1_000_000)}x`, 40)).toBe('…');
    expect(displayLine(`${'\n'.repeat(10)}short`, 40)).toBe('short');
  });

  it('reads a JSON Pointer as field › subfield, undoing the pointer escapes', () => {
    expect(readablePath('/owner/name')).toBe('owner › name');
    expect(readablePath('/customFields/a~1b~0c')).toBe('customFields › a/b~c');
    expect(readablePath('')).toBe('(whole project)');
  });

  it('says values as a person would: names of objects, comma lists, and words for nothing', () => {
    expect(displayValue('Due Diligence', 50)).toBe('Due Diligence');
    expect(displayValue({ id: 'usr-1', name: 'Aino Virtanen' }, 50)).toBe('Aino Virtanen');
    expect(displayValue(['strategic', 'add-on'], 50)).toBe('strategic, add-on');
    expect(displayValue({ amount: 5, currency: 'EUR' }, 50)).toBe('{"amount":5,"currency":"EUR"}');
    expect(displayValue(12_500_000, 50)).toBe('12500000');
    expect(displayValue(undefined, 50)).toBe('(not set)');
    expect(displayValue(null, 50)).toBe('(empty)');
    expect(displayValue([], 50)).toBe('(empty)');
  });

  it('shortens a long value', () => {
    expect(displayValue('x'.repeat(500), 120)).toHaveLength(120);
  });

  it('shows an instant in UTC to the minute', () => {
    expect(displayTime('2026-11-27T09:30:12.345Z')).toBe('2026-11-27 09:30 UTC');
  });
});
