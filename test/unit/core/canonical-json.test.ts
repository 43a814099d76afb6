import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../shared/core/canonical-json.js';

const noIgnored = new Set<string>();

describe('canonicalJson', () => {
  it('writes object keys in sorted order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps array order, which is data', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });
});

describe('contentHash', () => {
  it('is the same for the same data sent with another key order', () => {
    expect(contentHash({ id: '1', name: 'Falcon', stage: 'LOI' }, noIgnored)).toBe(
      contentHash({ stage: 'LOI', name: 'Falcon', id: '1' }, noIgnored),
    );
  });

  it('ignores the ignored fields so a bare updatedAt bump hashes alike', () => {
    const ignored = new Set(['updatedAt']);
    expect(contentHash({ id: '1', updatedAt: '2026-01-01T00:00:00Z' }, ignored)).toBe(
      contentHash({ id: '1', updatedAt: '2026-02-01T00:00:00Z' }, ignored),
    );
  });

  it('changes when any nested value changes', () => {
    expect(contentHash({ owner: { name: 'Ann' } }, noIgnored)).not.toBe(
      contentHash({ owner: { name: 'Bob' } }, noIgnored),
    );
  });

  it('tells a number from its string form', () => {
    expect(contentHash({ value: 1 }, noIgnored)).not.toBe(contentHash({ value: '1' }, noIgnored));
  });
});
