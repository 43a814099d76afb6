import { describe, expect, it } from 'vitest';
import { onFirstUse } from '../../../shared/support/on-first-use.js';

describe('onFirstUse', () => {
  it('builds nothing until asked, then builds once and hands out the same value', () => {
    let builds = 0;
    const schema = onFirstUse(() => {
      builds += 1;
      return { built: builds };
    });

    expect(builds).toBe(0);
    const first = schema();
    expect(schema()).toBe(first);
    expect(builds).toBe(1);
  });
});
