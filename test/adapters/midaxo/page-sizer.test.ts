import { describe, expect, it } from 'vitest';
import { createPageSizer } from '../../../shared/adapters/midaxo/page-sizer.js';

describe('page sizer', () => {
  it('asks for the configured size until it knows how large projects are', () => {
    expect(createPageSizer({ maxPageSize: 100 }).next()).toBe(100);
  });

  it('plans pages from the largest bytes per project seen, to stay under the target', () => {
    const sizer = createPageSizer({ maxPageSize: 100, targetBytes: 1_000_000 });

    sizer.record(10, 500_000);

    expect(sizer.next()).toBe(20);
  });

  it('halves after a page failed for size, and grows back once pages are small', () => {
    const sizer = createPageSizer({ maxPageSize: 100, targetBytes: 1_000_000 });

    sizer.shrink(100);
    sizer.shrink(50);
    expect(sizer.next()).toBe(25);

    sizer.record(25, 25_000);
    expect(sizer.next()).toBe(50);
    sizer.record(50, 50_000);
    expect(sizer.next()).toBe(100);
  });

  it('never asks for fewer than one project', () => {
    const sizer = createPageSizer({ maxPageSize: 4 });
    for (let i = 0; i < 5; i++) sizer.shrink(sizer.next());

    expect(sizer.next()).toBe(1);
  });
});
