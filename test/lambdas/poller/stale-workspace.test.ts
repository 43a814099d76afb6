/**
 * A workspace whose runs stop (throttled past the event age, dropped) emits nothing itself. Here three
 * workspaces share a deployment; the third's runs stop while the others go on, and the deployed
 * StaleWorkspace alarm, evaluated as CloudWatch would on the metric the other workspaces' runs emit,
 * fires once the third's watermark is older than the configured lag, and not before.
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { MetricName } from '../../../shared/observability/metric-names.js';
import { type PollerHarness, SECRET_ID, startPollerHarness } from '../../faults/poller-harness.js';
import { synthesizeStack } from '../../infra/stack-fixture.js';

const LAG_MINUTES = 60;
const POLL_MINUTES = 5;

interface AlarmJson {
  readonly MetricName: string;
  readonly Period: number;
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly TreatMissingData: string;
  readonly Statistic: string;
}

/** The deployed alarm, from the stack synthesized with this test's settings. */
function staleWorkspaceAlarm(): AlarmJson {
  const { template } = synthesizeStack({
    pollIntervalMinutes: POLL_MINUTES,
    watermarkLagAlarmMinutes: LAG_MINUTES,
  });
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as AlarmJson,
  );
  const [alarm, ...others] = alarms.filter((a) => a.MetricName === MetricName.OldestWatermarkAge);
  if (alarm === undefined || others.length > 0) throw new Error('expected one OldestWatermarkAge alarm');
  return alarm;
}

/** A data point the poller emitted, at the harness clock's time of the invocation that emitted it. */
interface DataPoint {
  readonly atMs: number;
  readonly value: number;
}

/** CloudWatch's verdict on the alarm's one evaluation period ending at `endMs`. */
function fires(alarm: AlarmJson, points: readonly DataPoint[], endMs: number): boolean {
  expect(alarm).toMatchObject({ Statistic: 'Maximum', ComparisonOperator: 'GreaterThanThreshold' });
  const inPeriod = points.filter((p) => p.atMs > endMs - alarm.Period * 1000 && p.atMs <= endMs);
  if (inPeriod.length === 0) return alarm.TreatMissingData === 'breaching';
  return Math.max(...inPeriod.map((p) => p.value)) > alarm.Threshold;
}

describe('a workspace whose runs stop while the others go on', () => {
  let harness: PollerHarness;
  const alarm = staleWorkspaceAlarm();

  beforeAll(async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { 'acme-1': sampleProjects(2), 'beta-1': sampleProjects(2), 'gamma-1': sampleProjects(2) },
      storedWorkspaces: ['acme', 'beta', 'gamma'].map((name) => ({
        name,
        secretId: SECRET_ID,
        processIds: [`${name}-1`],
      })),
    });
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await harness.close();
  });

  /** Invokes the schedule of each workspace, one container each, and keeps the age data points they emit. */
  const containers = new Map<string, ReturnType<PollerHarness['createHandler']>>();
  const points: DataPoint[] = [];
  async function pollWorkspaces(names: readonly string[]): Promise<void> {
    for (const name of names) {
      let handler = containers.get(name);
      if (handler === undefined) {
        handler = harness.createHandler();
        containers.set(name, handler);
      }
      const before = harness.output().length;
      const summary = await harness.invoke({ mode: 'poll', workspaces: [name] }, undefined, handler);
      expect(summary.processes.every((outcome) => outcome.error === undefined)).toBe(true);
      for (const value of emitted(harness.output().slice(before))) {
        points.push({ atMs: harness.clock.now().getTime(), value });
      }
    }
  }

  it('fires StaleWorkspace once the stopped workspace is older than the configured lag, and not before', async () => {
    await pollWorkspaces(['acme', 'beta', 'gamma']);
    const verdicts: { minutes: number; fires: boolean }[] = [];
    for (let minutes = POLL_MINUTES; minutes <= 90; minutes += POLL_MINUTES) {
      harness.clock.advance(POLL_MINUTES * 60);
      // gamma's invocations never start from here on.
      await pollWorkspaces(['acme', 'beta']);
      verdicts.push({ minutes, fires: fires(alarm, points, harness.clock.now().getTime()) });
    }

    expect(alarm.TreatMissingData).toBe('breaching');
    expect(alarm.Threshold).toBe(LAG_MINUTES * 60);
    const firstFiring = verdicts.find((verdict) => verdict.fires)?.minutes;
    // The check runs at most every 10 minutes per container, so the alarm sees it within one check.
    expect(firstFiring).toBeGreaterThan(LAG_MINUTES);
    expect(firstFiring).toBeLessThanOrEqual(LAG_MINUTES + 10);
    expect(verdicts.filter((verdict) => verdict.minutes >= LAG_MINUTES + 10).every((v) => v.fires)).toBe(
      true,
    );
  });

  it('stays quiet while every workspace runs, and fires when no run reports at all', async () => {
    await pollWorkspaces(['gamma']);
    harness.clock.advance(POLL_MINUTES * 60);
    for (let step = 0; step < 6; step++) {
      harness.clock.advance(POLL_MINUTES * 60);
      await pollWorkspaces(['acme', 'beta', 'gamma']);
    }
    const now = harness.clock.now().getTime();

    expect(fires(alarm, points, now)).toBe(false);
    expect(fires(alarm, points, now + alarm.Period * 1000 + 1)).toBe(true);
  });
});

/** The OldestWatermarkAge values in what the handler wrote (CloudWatch embedded metric format lines). */
function emitted(output: string): number[] {
  return output
    .split('\n')
    .filter((line) => line.includes(`"${MetricName.OldestWatermarkAge}"`))
    .map((line) => Number((JSON.parse(line) as Record<string, unknown>)[MetricName.OldestWatermarkAge]));
}
