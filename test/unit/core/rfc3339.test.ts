import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../../../shared/core/rfc3339.js';

describe('parseRfc3339', () => {
  it.each([
    ['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27t10:00:00.123456789z', '2026-11-27T10:00:00.123Z'],
    ['2026-11-27 12:00:00+02:00', '2026-11-27T10:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(new Date(parseRfc3339(text) ?? Number.NaN).toISOString()).toBe(instant);
  });

  it.each([
    ['a bare number', '0'],
    ['a date without time', '2026-11-27'],
    ['no zone', '2026-11-27T10:00:00'],
    ['no seconds', '2026-11-27T10:00Z'],
    ['a six-digit year', '+010000-01-01T00:00:00Z'],
    ['a day that does not exist', '2026-02-30T00:00:00Z'],
    ['not text', 1_795_771_800_000],
  ])('refuses %s', (_, value) => {
    expect(parseRfc3339(value)).toBeUndefined();
  });
});
