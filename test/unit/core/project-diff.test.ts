import { describe, expect, it } from 'vitest';
import { diffProjects } from '../../../shared/core/project-diff.js';

const ignored = new Set(['updatedAt']);

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
});
