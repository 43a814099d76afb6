import { describe, expect, it } from 'vitest';
import { snsDelivers } from './sns-filter-evaluator.js';

const attributes = {
  eventType: { DataType: 'String', StringValue: 'updated' },
  changedFields: { DataType: 'String.Array', StringValue: '["owner","stage"]' },
};

describe('the SNS filter evaluator used by the filter policy tests', () => {
  it('matches a String exactly and a String.Array by any element', () => {
    expect(snsDelivers({ eventType: ['updated'] }, attributes)).toBe(true);
    expect(snsDelivers({ eventType: ['update'] }, attributes)).toBe(false);
    expect(snsDelivers({ changedFields: ['stage'] }, attributes)).toBe(true);
    expect(snsDelivers({ changedFields: ['name'] }, attributes)).toBe(false);
  });

  it('requires every key (AND) and any of its conditions (OR)', () => {
    expect(snsDelivers({ eventType: ['deleted', 'updated'], changedFields: ['owner'] }, attributes)).toBe(
      true,
    );
    expect(snsDelivers({ eventType: ['updated'], changedFields: ['name'] }, attributes)).toBe(false);
  });

  it('never matches an absent attribute', () => {
    expect(snsDelivers({ processId: ['p'] }, attributes)).toBe(false);
  });

  it('refuses operators it does not implement instead of guessing', () => {
    expect(() => snsDelivers({ $or: ['x'] }, attributes)).toThrow(/not supported/);
    expect(() => snsDelivers({ eventType: [{ prefix: 'up' } as never] }, attributes)).toThrow(
      /not supported/,
    );
  });
});
