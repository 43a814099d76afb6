import { describe, expect, it } from 'vitest';
import {
  coldStartChecks,
  coldStartFigures,
  coldStartSection,
} from '../../../bench/report/cold-start-section.js';
import { reportFormat } from '../../../bench/report/report-format.js';
import type { ColdStartResults, ObservedContainer } from '../../../bench/scenarios/cold-start.js';

const summary = (changed: number) => ({ updated: changed, created: 0, deleted: 0 });

/** A container whose five runs of 1,000 changes took `cpuMs` each, on a machine of `referenceMs`. */
function container(referenceMs: number, cpuMs: readonly number[]): ObservedContainer {
  return {
    reference: { referenceWorkloadCpuMs: referenceMs, samples: 7 },
    runs: cpuMs.map((cpu, index) => ({
      report: {
        cold: index === 0,
        summary: summary(1_000) as never,
        wallMs: index === 0 ? 1_600 : 1_000,
        cpuMs: cpu,
        requests: {},
      },
      api: { listingRequests: 11, tokenRequests: index === 0 ? 1 : 0 } as never,
    })),
  };
}

function results(containers: ObservedContainer[], naiveWallMs: number): ColdStartResults {
  return { projects: 10_000, node: 'v24.22.3', containers, naive: { wallMs: naiveWallMs } as never };
}

describe('cold-start figures', () => {
  it("sets each container's first run against its runs 3 to 5, and both against the machine reference", () => {
    const figures = coldStartFigures(
      results(
        [
          container(100, [1_300, 900, 700, 600, 650]),
          container(200, [1_500, 900, 800, 750, 700]),
          container(100, [900, 500, 600, 600, 600]),
        ],
        48_000,
      ),
    );

    expect(figures.coldCpuMsPerChange).toBeCloseTo(1.3);
    expect(figures.warmCpuMsPerChange).toBeCloseTo(0.65);
    // Per container: 1300/650, 1500/750, 900/600.
    expect(figures.coldOverWarm).toBeCloseTo(2);
    // 1,000 changes' CPU in reference workloads, per container: 13, 7.5, 9 cold.
    expect(figures.coldInReferences).toBeCloseTo(9);
    expect(figures.warmInReferences).toBeCloseTo(6);
    // Cold run less 1,000 changes at the warm rate: 650, 750, 300.
    expect(figures.setUpCpuMs).toBeCloseTo(650);
    expect(figures.speedUp).toBeCloseTo(30);
  });

  it('fails a cold run over 950 µs a change, under 25× the naive poller or over twice warm', () => {
    const slow = coldStartFigures(results([container(100, [2_400, 900, 900, 900, 900])], 30_000));
    const fast = coldStartFigures(results([container(100, [900, 600, 500, 500, 500])], 48_000));

    expect(coldStartChecks(slow).map((check) => check.pass)).toEqual([false, false, false]);
    expect(coldStartChecks(fast).map((check) => check.pass)).toEqual([true, true, true]);
  });

  it('names the node the containers ran, so figures from two node versions are not mixed up', () => {
    const section = coldStartSection(
      results([container(100, [900, 600, 500, 500, 500])], 48_000),
      reportFormat('text'),
    );

    expect(section[0]).toContain('1 fresh containers on node v24.22.3');
  });
});
