import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../shared/core/canonical-json.js';
import { AWKWARD_KEYS, deepProject, HOSTILE_DEPTH, nestedObjectText, objectOf } from './deep-json.js';

const noIgnored = new Set<string>();
const ignored = new Set(['updatedAt']);

describe('canonicalJson', () => {
  it('writes object keys in sorted order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps array order, which is data', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('writes JSON that reads back as the same value, whatever the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // As JSON has it: -0 is written as 0, like JSON.stringify does.
        expect(JSON.parse(canonicalJson(value as never))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('writes 10,000 nested objects and arrays without overflowing the call stack', () => {
    const objects = nestedObjectText(HOSTILE_DEPTH, '"leaf"');
    const arrays = `${'['.repeat(HOSTILE_DEPTH)}${']'.repeat(HOSTILE_DEPTH)}`;

    expect(canonicalJson(JSON.parse(objects))).toBe(objects);
    expect(canonicalJson(JSON.parse(arrays))).toBe(arrays);
  });
});

describe('contentHash', () => {
  it('is the same for the same data sent with another key order', () => {
    expect(contentHash({ id: '1', name: 'Falcon', stage: 'LOI' }, noIgnored)).toBe(
      contentHash({ stage: 'LOI', name: 'Falcon', id: '1' }, noIgnored),
    );
  });

  it('ignores the ignored fields so a bare updatedAt bump hashes alike', () => {
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

  it('stays what earlier releases stored, so an upgrade announces no change that did not happen', () => {
    const project = {
      id: 'b2f7',
      name: 'Project Falcon ✈ «ü»',
      stage: 'Due diligence',
      owner: { name: 'Ann', id: 7 },
      '10': 'ten',
      '2': 'two',
      tags: ['b', 'a', { z: null, y: [true, false, -0.5, 1e21] }],
      'a/b~c': '',
      empty: {},
      list: [],
    };

    // Computed by the recursive implementation this one replaced.
    expect(contentHash(project, noIgnored)).toBe(
      '61e759c76cd4c8e912e62add3d2480cf3ed06b8e342f69168ce4fdacf29db26d',
    );
  });

  it('hashes a project nested 10,000 levels deep and notices a change at the bottom', () => {
    const before = deepProject(HOSTILE_DEPTH, 'LOI');

    expect(contentHash(before, ignored)).toBe(contentHash(deepProject(HOSTILE_DEPTH, 'LOI'), ignored));
    expect(contentHash(before, ignored)).not.toBe(
      contentHash(deepProject(HOSTILE_DEPTH, 'Signing'), ignored),
    );
  });

  it.each(AWKWARD_KEYS)('hashes a top-level field named %j like any other field', (key) => {
    const before = objectOf([
      ['id', '1'],
      [key, { stage: 'LOI' }],
      ['updatedAt', 'x'],
    ]);
    const after = objectOf([
      ['id', '1'],
      [key, { stage: 'Signing' }],
      ['updatedAt', 'y'],
    ]);
    const without = objectOf([
      ['id', '1'],
      ['updatedAt', 'y'],
    ]);

    for (const ignoring of [ignored, noIgnored]) {
      expect(contentHash(before, ignoring)).not.toBe(contentHash(after, ignoring));
      expect(contentHash(before, ignoring)).not.toBe(contentHash(without, ignoring));
    }
  });
});
