import { describe, expect, it } from 'vitest';
import { runReferenceWorkload } from '../../../bench/support/machine-speed.js';

describe('machine speed', () => {
  it('does the same reference work on every machine and in every version, so its times stay comparable', () => {
    // Changing the workload changes this digest: the figures recorded before it no longer compare.
    expect(runReferenceWorkload()).toBe('52964946c480e2b93ef5458dc216424cd90a117dd09b13a6a51d98fc52b540c0');
  });
});
