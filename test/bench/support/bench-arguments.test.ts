import { describe, expect, it } from 'vitest';
import { BENCH_PARTS, BenchUsageError, parseBenchArguments } from '../../../bench/support/bench-arguments.js';

describe('bench arguments', () => {
  it('runs every part when given none', () => {
    const parts = [...parseBenchArguments([])];

    expect(parts).toEqual([...BENCH_PARTS]);
    expect(parts).toEqual(
      expect.arrayContaining(['change', 'coldstart', 'processes', 'bundles', 'delivery', 'tokens']),
    );
  });

  it('runs only the parts named after --only, in either spelling', () => {
    expect([...parseBenchArguments(['--only', 'memory,bundles'])]).toEqual(['memory', 'bundles']);
    expect([...parseBenchArguments(['--only=change'])]).toEqual(['change']);
  });

  it('names an unknown part and shows the usage for anything else', () => {
    expect(() => parseBenchArguments(['--only', 'speed'])).toThrow(/Unknown bench part\(s\) speed/);
    expect(() => parseBenchArguments(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArguments(['--only=change', 'extra'])).toThrow(/Usage: npm run bench/);
  });
});
