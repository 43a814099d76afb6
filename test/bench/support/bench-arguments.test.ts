import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArguments } from '../../../bench/support/bench-arguments.js';

describe('bench arguments', () => {
  it('runs every part when given none', () => {
    expect([...parseBenchArguments([])]).toEqual(['change', 'idle', 'fanout', 'memory', 'bundles', 'tokens']);
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
