import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../shared/core/canonical-json.js';
import type { JsonObject, JsonValue } from '../../../shared/core/json.js';
import { diffProjects } from '../../../shared/core/project-diff.js';
import { AWKWARD_KEYS, deepProject, HOSTILE_DEPTH, objectOf } from './deep-json.js';
import { expectPathsResolve } from './pointer-check.js';

const ignored = new Set(['updatedAt']);
const noIgnored = new Set<string>();

describe('diffProjects', () => {
  it('lists a changed top-level field with its before and after', () => {
    expect(diffProjects({ stage: 'LOI' }, { stage: 'Closing' }, ignored)).toEqual([
      { path: '/stage', before: 'LOI', after: 'Closing' },
    ]);
  });

  it('points into nested objects', () => {
    expect(
      diffProjects({ owner: { id: 'u1', name: 'Ann' } }, { owner: { id: 'u1', name: 'Bob' } }, ignored),
    ).toEqual([{ path: '/owner/name', before: 'Ann', after: 'Bob' }]);
  });

  it('reports added and removed fields with only the side that exists', () => {
    expect(diffProjects({ a: 1 }, { b: 2 }, ignored)).toEqual([
      { path: '/a', before: 1 },
      { path: '/b', after: 2 },
    ]);
  });

  it('compares arrays as whole values', () => {
    expect(diffProjects({ tags: ['a', 'b'] }, { tags: ['b', 'a'] }, ignored)).toEqual([
      { path: '/tags', before: ['a', 'b'], after: ['b', 'a'] },
    ]);
  });

  it('escapes / and ~ in keys as RFC 6901 says', () => {
    expect(diffProjects({ 'a/b~c': 1 }, { 'a/b~c': 2 }, ignored)).toEqual([
      { path: '/a~1b~0c', before: 1, after: 2 },
    ]);
  });

  it('leaves out ignored fields and equal values', () => {
    expect(
      diffProjects({ updatedAt: 'x', name: 'Falcon' }, { updatedAt: 'y', name: 'Falcon' }, ignored),
    ).toEqual([]);
  });

  it('reports a value that changed type', () => {
    expect(diffProjects({ value: { amount: 1 } }, { value: null }, ignored)).toEqual([
      { path: '/value', before: { amount: 1 }, after: null },
    ]);
  });

  it('lists changes depth first, in sorted key order at every level', () => {
    const before = { b: { y: 1, x: 1 }, a: 1, c: { z: { q: 1 } } };
    const after = { b: { y: 2, x: 2 }, a: 2, c: { z: { q: 2 } } };

    expect(diffProjects(before, after, ignored).map((change) => change.path)).toEqual([
      '/a',
      '/b/x',
      '/b/y',
      '/c/z/q',
    ]);
  });

  it('finds a change 10,000 levels deep, at a path another JSON Pointer implementation resolves', () => {
    const before = deepProject(HOSTILE_DEPTH, 'LOI');
    const after = deepProject(HOSTILE_DEPTH, 'Signing');

    const changes = diffProjects(before, after, ignored);

    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ before: 'LOI', after: 'Signing' });
    expect(changes[0]?.path).toBe(`/deep${'/a'.repeat(HOSTILE_DEPTH - 1)}`);
    expectPathsResolve(before, after, changes);
    expect(diffProjects(before, deepProject(HOSTILE_DEPTH, 'LOI'), ignored)).toEqual([]);
  });

  it.each(AWKWARD_KEYS)('lists a field named %j when it changes, appears or goes', (key) => {
    const base = objectOf([['id', '1']]);
    const loi = objectOf([
      ['id', '1'],
      [key, { stage: 'LOI' }],
    ]);
    const signing = objectOf([
      ['id', '1'],
      [key, { stage: 'Signing' }],
    ]);
    const pointer = `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

    const changed = diffProjects(loi, signing, ignored);
    const appeared = diffProjects(base, loi, ignored);
    const went = diffProjects(loi, base, ignored);

    expect(changed).toEqual([{ path: `${pointer}/stage`, before: 'LOI', after: 'Signing' }]);
    expect(appeared).toEqual([{ path: pointer, after: { stage: 'LOI' } }]);
    expect(went).toEqual([{ path: pointer, before: { stage: 'LOI' } }]);
    expectPathsResolve(loi, signing, changed);
    expectPathsResolve(base, loi, appeared);
    expectPathsResolve(loi, base, went);
  });

  it('agrees with the content hash and points at what changed, for any pair of projects', () => {
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(...AWKWARD_KEYS));
    const value: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom<JsonValue>(null, true, 0, 1, 'LOI', ''),
        fc.array(tie('value'), { maxLength: 2 }),
        fc
          .uniqueArray(fc.tuple(key, tie('value')), { selector: ([k]) => k, maxLength: 3 })
          .map((entries) => objectOf(entries)),
      ),
    })).value;
    const project = fc
      .uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 4 })
      .map((entries): JsonObject => objectOf(entries));

    fc.assert(
      fc.property(project, project, (before, after) => {
        const changes = diffProjects(before, after, noIgnored);

        expect(changes.length === 0).toBe(contentHash(before, noIgnored) === contentHash(after, noIgnored));
        expectPathsResolve(before, after, changes);
      }),
    );
  });
});
