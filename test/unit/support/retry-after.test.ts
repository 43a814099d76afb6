import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../shared/support/retry-after.js';

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and leaves anything else to backoff', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
