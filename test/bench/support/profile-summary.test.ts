import { describe, expect, it } from 'vitest';
import { type CpuProfile, placeOf, topSelfTime } from '../../../bench/support/profile-summary.js';

const ROOT = '/repo/';

function frame(functionName: string, url: string, lineNumber = 0) {
  return { functionName, url, lineNumber };
}

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('renderEmail', 'file:///repo/shared/notifications/email-message.ts', 9) },
    { id: 3, callFrame: frame('serialize', 'file:///repo/node_modules/@smithy/core/dist/index.js', 99) },
    { id: 4, callFrame: frame('parse', 'file:///repo/node_modules/zod/v4/core/parse.js') },
    { id: 5, callFrame: frame('(garbage collector)', '') },
    { id: 6, callFrame: frame('(idle)', '') },
    { id: 7, callFrame: frame('post', 'node:inspector'), children: [8] },
    { id: 8, callFrame: frame('dispatch', '') },
  ],
  samples: [2, 3, 3, 4, 5, 2, 6, 8],
  timeDeltas: [1000, 2000, 2000, 500, 500, 4000, 9000, 3000],
};

describe('CPU profile summary', () => {
  it('ranks functions by self time with where they are, as shares of the busy time', () => {
    const top = topSelfTime(profile, ROOT, 2);
    expect(top.totalMs).toBe(10);
    expect(top.functions).toEqual([
      { name: 'renderEmail shared/notifications/email-message.ts:10', ms: 5, share: 0.5 },
      { name: 'serialize @smithy/core:100', ms: 4, share: 0.4 },
    ]);
  });

  it('leaves out idle time and the profiler stopping itself', () => {
    const { functions } = topSelfTime(profile, ROOT, 10);
    expect(functions.map((entry) => entry.name)).not.toContain('(idle)');
    expect(functions.map((entry) => entry.name)).not.toContain('dispatch');
  });

  it('sums places: packages by name, repository files by path, V8 entries by their own name', () => {
    const { places } = topSelfTime(profile, ROOT, 10);
    expect(places.map((entry) => [entry.name, entry.ms])).toEqual([
      ['shared/notifications/email-message.ts', 5],
      ['@smithy/core', 4],
      ['zod', 0.5],
      ['(garbage collector)', 0.5],
    ]);
  });

  it('names a place outside the repository by its whole path', () => {
    expect(placeOf('node:internal/streams/readable', ROOT)).toBe('node:internal/streams/readable');
  });
});
