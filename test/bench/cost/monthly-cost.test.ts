import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_PRICES } from '../../../bench/cost/aws-prices.js';
import {
  costGrid,
  costTablesMarkdown,
  pricesMarkdown,
  TABLE_DEPLOYMENT,
} from '../../../bench/cost/cost-table.js';
import { MEASURED_USAGE } from '../../../bench/cost/measured-usage.js';
import {
  billedSeconds,
  idleInvocationSeconds,
  type MeasuredUsage,
  monthlyCost,
  rereadsPerChange,
  totalOf,
} from '../../../bench/cost/monthly-cost.js';

const nothing = { wallMs: 0, cpuMs: 0, writeUnits: 0, readUnits: 0 };
const idleOnly: MeasuredUsage = {
  idleRun: { wallMs: 400, cpuMs: 0, writeUnits: 2, readUnits: 0 },
  perChangedProject: nothing,
  perRelistedProject: nothing,
  peakRssMiB: 150,
};
const oneProcess = {
  ...TABLE_DEPLOYMENT,
  pollIntervalMinutes: 5,
  processes: 1,
  changesPerProcessPerMonth: 0,
  coldStartSeconds: 0,
};
const costOf = (usage: MeasuredUsage, deployment: typeof oneProcess, item: string) =>
  monthlyCost(usage, deployment, AWS_PRICES).find((entry) => entry.item === item)?.usd ?? Number.NaN;

describe('monthly cost', () => {
  it('bills the CPU part of a run slower below a full vCPU, and the waiting part as it is', () => {
    expect(billedSeconds({ wallMs: 400, cpuMs: 0 }, 512)).toBeCloseTo(0.4);
    // 1,769 MB is one vCPU: 100 ms of CPU takes 100 ms there and about 345 ms at 512 MB.
    expect(billedSeconds({ wallMs: 100, cpuMs: 100 }, 1_769)).toBeCloseTo(0.1);
    expect(billedSeconds({ wallMs: 100, cpuMs: 100 }, 512)).toBeCloseTo(0.3455, 3);
    expect(billedSeconds({ wallMs: 100, cpuMs: 100 }, 3_538)).toBeCloseTo(0.1);
  });

  it("overlaps the waits of processes polled at once, but bills every run's CPU", () => {
    const idle = { wallMs: 350, cpuMs: 10 };
    // One at a time: 100 runs of 350 ms, their CPU slowed at 512 MB.
    const sequential = idleInvocationSeconds(idle, 100, 1, 512);
    // 8 at a time: 13 waves of 340 ms waiting, and the same CPU.
    const parallel = idleInvocationSeconds(idle, 100, 8, 512);

    expect(sequential).toBeCloseTo(billedSeconds(idle, 512) * 100);
    expect(parallel).toBeCloseTo((13 * 340 + 100 * 10 * (1_769 / 512)) / 1000);
    expect(sequential / parallel).toBeGreaterThan(4);
    expect(idleInvocationSeconds(idle, 3, 8, 512)).toBeCloseTo((340 + 3 * 10 * (1_769 / 512)) / 1000);
  });

  it('lists a change again once per run whose window still reaches back to it', () => {
    expect(rereadsPerChange({ overlapSeconds: 300, pollIntervalMinutes: 1 })).toBe(5);
    expect(rereadsPerChange({ overlapSeconds: 300, pollIntervalMinutes: 5 })).toBe(1);
    expect(rereadsPerChange({ overlapSeconds: 300, pollIntervalMinutes: 15 })).toBeCloseTo(1 / 3);
  });

  it('prices one idle process polled every 5 minutes: 8,670 invocations of 0.4 s at 512 MB, 2 WRU each', () => {
    // 288 polls a day and a reconcile, over 30 days; no project, so the reconcile is an idle run too.
    const usage = { ...idleOnly, perRelistedProject: nothing };
    const deployment = { ...oneProcess, projectsPerProcess: 0 };

    expect(costOf(usage, deployment, 'Lambda')).toBeCloseTo(
      8_670 * 0.4 * 0.5 * 0.0000133334 + 8_670 * 0.2e-6,
      6,
    );
    expect(costOf(usage, deployment, 'DynamoDB requests')).toBeCloseTo(8_670 * 2 * 0.625e-6, 8);
    expect(costOf(usage, deployment, 'EventBridge Scheduler')).toBe(0);
  });

  it('grows request costs with processes and polls, not the fixed monitoring, keys and secret', () => {
    const every5 = monthlyCost(MEASURED_USAGE, { ...oneProcess, processes: 1 }, AWS_PRICES);
    const many = monthlyCost(
      MEASURED_USAGE,
      { ...oneProcess, processes: 100, pollIntervalMinutes: 1 },
      AWS_PRICES,
    );
    const item = (lines: typeof every5, name: string) => lines.find((entry) => entry.item === name)?.usd;

    for (const fixed of ['KMS', 'CloudWatch metrics, alarms, dashboard']) {
      expect(item(many, fixed)).toBe(item(every5, fixed));
    }
    expect(item(many, 'DynamoDB requests')).toBeGreaterThan(10 * (item(every5, 'DynamoDB requests') ?? 0));
    expect(totalOf(many)).toBeGreaterThan(totalOf(every5));
  });

  it('charges SNS and Scheduler only beyond their monthly allowances', () => {
    const busy = { ...TABLE_DEPLOYMENT, pollIntervalMinutes: 1, processes: 100 };

    expect(costOf(MEASURED_USAGE, busy, 'SNS')).toBe(0); // 100,000 publishes, under 1 million
    expect(costOf(MEASURED_USAGE, { ...busy, changesPerProcessPerMonth: 20_000 }, 'SNS')).toBeCloseTo(
      1_000_000 * 0.5e-6,
    );
  });

  it('costs more every step up in processes and every step down in interval', () => {
    const totals = costGrid(MEASURED_USAGE).map((row) => row.map(totalOf));
    for (const row of totals) expect([...row].sort((a, b) => a - b)).toEqual(row);
    for (let column = 0; column < 3; column++) {
      const byInterval = totals.map((row) => row[column] as number);
      expect([...byInterval].sort((a, b) => b - a)).toEqual(byInterval);
    }
  });
});

describe('the cost tables in docs/deploy.md', () => {
  const doc = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8');
  const between = (name: string) => {
    const match = new RegExp(`<!-- ${name}:start[^>]*-->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(doc);
    return match?.[1];
  };

  it('are the ones the cost module computes from the measured usage and prices', () => {
    expect(between('cost-table')).toBe(costTablesMarkdown(MEASURED_USAGE));
    expect(between('cost-prices')).toBe(pricesMarkdown());
  });

  it('stay within 100 columns', () => {
    const lines = `${costTablesMarkdown(MEASURED_USAGE)}\n${pricesMarkdown()}`.split('\n');
    expect(lines.filter((line) => line.length > 100)).toEqual([]);
  });
});
