/**
 * The report's tables go to the terminal and, as Markdown, into docs/performance.md: every table line
 * stays within 100 columns, whatever the figures of a run, the longest labels included.
 */
import { describe, expect, it } from 'vitest';
import type { RequestCounts } from '../../../bench/aws/request-tally.js';
import { MEMORY_SETTINGS } from '../../../bench/bench-model.js';
import { BENCH_MODEL_DESCRIPTION, type BenchResults, checksOf } from '../../../bench/report/bench-results.js';
import { renderReport } from '../../../bench/report/render-report.js';
import type { ChangeRunResults, ObservedRun } from '../../../bench/scenarios/change-run.js';
import type { MemoryRun } from '../../../bench/scenarios/memory.js';
import { emptySummary } from '../../../shared/core/scan-listing.js';

const MIB = 1024 * 1024;

function observed(implementation: 'real' | 'naive', requests: RequestCounts, scanned: number): ObservedRun {
  return {
    report: {
      implementation,
      summary: { ...emptySummary('bench', 'incremental'), scanned, updated: 1_000, published: 1_000 },
      wallMs: 43_612,
      cpuMs: 8_159,
      requests,
      timings: { BatchGetItem: { count: 10_000, meanMs: 26.1 }, PublishBatch: { count: 100, meanMs: 16 } },
      busyMs: { dynamodb: 21_900, sns: 15_200 },
      messagesDigest: 'abc',
      peakRssBytes: 150 * MIB,
      peakHeapAfterMajorGcBytes: 20 * MIB,
      heapSizeLimitBytes: 4_144 * MIB,
    },
    api: {
      tokenRequests: 0,
      tokensIssued: 0,
      listingRequests: 10_001,
      projectsReturned: 1_000_000,
      oversizeResponses: 0,
      faultsInjected: { 'rate-limit': 0, 'server-error': 0, reset: 0, truncated: 0, unauthorized: 0 },
    },
    apiFloorMs: 2_220,
  };
}

const MANY_REQUESTS: RequestCounts = {
  'DynamoDB.BatchGetItem': 100_000,
  'DynamoDB.BatchWriteItem': 400_000,
  'DynamoDB.GetItem': 100_000,
  'DynamoDB.PutItem': 100_000,
  'DynamoDB.UpdateItem': 100_000,
  'DynamoDB.DeleteItem': 100_000,
  'SNS.PublishBatch': 100_000,
  'SecretsManager.GetSecretValue': 1,
};

function memoryRun(projects: number, setting: string, samples: number): MemoryRun {
  const sample = {
    wallMs: 43_700,
    peakRssBytes: 144.9 * MIB,
    peakHeapAfterMajorGcBytes: 20 * MIB,
    heapSizeLimitBytes: 240 * MIB,
  };
  return {
    projects,
    setting,
    nodeFlags: [],
    samples: Array.from({ length: samples }, () => sample),
    medianPeakRssBytes: 144.9 * MIB,
    peakHeapAfterMajorGcBytes: 20.3 * MIB,
  };
}

function results(): BenchResults {
  const changeRun: ChangeRunResults = {
    projects: 10_000,
    edited: 1_000,
    baseline: observed('real', MANY_REQUESTS, 10_000),
    real: observed('real', MANY_REQUESTS, 1_000),
    naive: observed('naive', MANY_REQUESTS, 1_000),
    overlapReread: observed('real', MANY_REQUESTS, 1_000),
    idle: observed('real', MANY_REQUESTS, 0),
  } as ChangeRunResults;
  const memory = MEMORY_SETTINGS.flatMap((setting) =>
    [10_000, 50_000].map((projects) => memoryRun(projects, setting.label, setting.samples)),
  );
  const partial = {
    startedAt: '2026-11-28T01:19:00Z',
    finishedAt: '2026-11-28T01:24:00Z',
    machine: {
      cpuModel: 'Intel(R) Xeon(R) CPU @ 2.50GHz',
      cores: 2,
      memoryBytes: 23.5 * 1024 * MIB,
      nodeVersion: 'v20.20.2',
      platform: 'linux x64',
      loadAverage: [2.01, 2.53, 3.06],
    },
    loadAverageAtEnd: [1.69, 1.98, 2.67],
    model: BENCH_MODEL_DESCRIPTION,
    changeRun,
    memory,
    bundles: [
      {
        name: 'the three bare SDK clients (DynamoDB, SNS, Secrets Manager)',
        entry: 'bench/bundle/bare-sdk-clients.ts',
        bytes: 357 * 1024,
        gzipBytes: 104 * 1024,
        importMsMedian: 120,
        importMsSamples: [120],
      },
    ],
  } as Omit<BenchResults, 'checks'>;
  return { ...partial, checks: checksOf(partial) };
}

describe('bench report', () => {
  it.each(['markdown', 'text'] as const)('keeps every %s table line within 100 columns', (kind) => {
    const report = renderReport(results(), kind);
    const tableLines = report
      .split('\n')
      .filter((line) => (kind === 'markdown' ? line.startsWith('|') : /\S {2,}\S|^-+( +-+)+$/.test(line)));

    expect(tableLines.length).toBeGreaterThan(20);
    for (const line of tableLines) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('lists the later runs’ DynamoDB requests per operation instead of in one wide cell', () => {
    const report = renderReport(results(), 'markdown');

    expect(report).toContain('| DynamoDB operation | next run | idle run |');
    expect(report).toContain('| BatchWriteItem | 400,000 | 400,000 |');
  });
});
