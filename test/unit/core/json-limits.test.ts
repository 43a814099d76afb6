import { describe, expect, it } from 'vitest';
import { exceedsMaxDepth, jsonDepth, MAX_PROJECT_DEPTH } from '../../../shared/core/json-limits.js';
import { deepProject, HOSTILE_DEPTH, objectOf } from './deep-json.js';

describe('jsonDepth', () => {
  it('counts the objects and arrays nested at the deepest point', () => {
    expect(jsonDepth('LOI')).toBe(0);
    expect(jsonDepth(null)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ id: '1', owner: { name: 'Ann' }, tags: [] })).toBe(2);
    expect(jsonDepth({ a: [1, [2, { b: [] }]], c: { d: 1 } })).toBe(5);
  });

  it('measures a project 10,000 levels deep without recursion', () => {
    expect(jsonDepth(deepProject(HOSTILE_DEPTH, 'leaf'))).toBe(HOSTILE_DEPTH);
    expect(jsonDepth(JSON.parse(`${'['.repeat(HOSTILE_DEPTH)}${']'.repeat(HOSTILE_DEPTH)}`))).toBe(
      HOSTILE_DEPTH,
    );
  });

  it('stops at the first level past stopAbove', () => {
    expect(jsonDepth(deepProject(HOSTILE_DEPTH, 'leaf'), 10)).toBe(11);
    expect(jsonDepth(deepProject(5, 'leaf'), 10)).toBe(5);
  });

  it('walks a field named __proto__ as the data it is', () => {
    expect(jsonDepth(objectOf([['__proto__', { a: { b: {} } }]]))).toBe(4);
  });
});

describe('exceedsMaxDepth', () => {
  it('lets a project nest MAX_PROJECT_DEPTH levels and no more', () => {
    expect(exceedsMaxDepth(deepProject(MAX_PROJECT_DEPTH, 'leaf'))).toBe(false);
    expect(exceedsMaxDepth(deepProject(MAX_PROJECT_DEPTH + 1, 'leaf'))).toBe(true);
    expect(exceedsMaxDepth(deepProject(HOSTILE_DEPTH, 'leaf'))).toBe(true);
  });

  it('keeps every project it lets through within what recursive JSON.stringify can write', () => {
    expect(JSON.parse(JSON.stringify(deepProject(MAX_PROJECT_DEPTH, 'leaf')))).toEqual(
      deepProject(MAX_PROJECT_DEPTH, 'leaf'),
    );
  });
});
