/**
 * When each workspace's schedules fire, spread so that 50 workspaces do not all start at the same second
 * (and queue for a small account's Lambda concurrency): polls start at a minute offset derived from the
 * workspace's name, inside a one-minute flexible window that spreads the seconds; the reconcile sweep
 * keeps the configured hour but takes a minute of it that lies half a poll interval away from the
 * workspace's own polls. Derived from the name, the offsets stay the same from one deploy to the next.
 * Layer: infrastructure (pure functions).
 */
import { createHash } from 'node:crypto';
import type { ScheduleSpec } from '../config/notifier-config.js';

/** Scheduler starts each poll at a random second of this many minutes after its time. */
const POLL_WINDOW_MINUTES = 1;
/** A sweep whose expression cannot be shifted by minutes starts at a random time this wide. */
const RECONCILE_WINDOW_MINUTES = 60;

export interface SpreadSchedule {
  /** A `rate(...)` or `cron(...)` expression as Scheduler takes it. */
  readonly expression: string;
  /** Minutes of the flexible time window; 0 for none. */
  readonly windowMinutes: number;
}

const CRON_FIELDS = /^cron\((\S+) (.+)\)$/;

/** A whole number from 0 to `modulo - 1` that only the name (and what it is for) decides. */
function nameOffset(name: string, purpose: string, modulo: number): number {
  const digest = createHash('sha256').update(`${purpose}\0${name}`).digest();
  return digest.readUInt32BE(0) % modulo;
}

/**
 * The minute of the hour the workspace's polls start at, when the interval fits the hour a whole number
 * of times (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60 minutes); undefined for other intervals.
 */
function pollMinute(workspace: string, intervalMinutes: number): number | undefined {
  if (intervalMinutes > 60 || 60 % intervalMinutes !== 0) return undefined;
  return nameOffset(workspace, 'poll', intervalMinutes);
}

export function spreadPoll(workspace: string, intervalMinutes: number): SpreadSchedule {
  const minute = pollMinute(workspace, intervalMinutes);
  if (minute === undefined) {
    // rate() has no offset: the window alone spreads these.
    return { expression: rate(intervalMinutes), windowMinutes: POLL_WINDOW_MINUTES };
  }
  const minutes = intervalMinutes === 60 ? `${minute}` : `${minute}/${intervalMinutes}`;
  return { expression: `cron(${minutes} * * * ? *)`, windowMinutes: POLL_WINDOW_MINUTES };
}

/**
 * The sweep at the configured time, moved to a minute of the same hour: one half-interval away from the
 * workspace's polls where they have a fixed minute, and otherwise anywhere in the hour. A rate, or a
 * cron without a single minute, gets a flexible window instead.
 */
export function spreadReconcile(
  workspace: string,
  spec: ScheduleSpec,
  pollIntervalMinutes: number,
): SpreadSchedule {
  if (spec.kind === 'rate') {
    const window = Math.min(RECONCILE_WINDOW_MINUTES, Math.max(1, Math.floor(spec.minutes / 2)));
    return { expression: rate(spec.minutes), windowMinutes: window };
  }
  const fields = CRON_FIELDS.exec(spec.expression);
  if (fields === null || !/^\d{1,2}$/.test(fields[1] ?? '')) {
    return { expression: spec.expression, windowMinutes: RECONCILE_WINDOW_MINUTES };
  }
  return {
    expression: `cron(${reconcileMinute(workspace, pollIntervalMinutes)} ${fields[2]})`,
    windowMinutes: 0,
  };
}

function reconcileMinute(workspace: string, pollIntervalMinutes: number): number {
  const pollAt = pollMinute(workspace, pollIntervalMinutes);
  if (pollAt === undefined || pollIntervalMinutes < 2) return nameOffset(workspace, 'reconcile', 60);
  const between = (pollAt + Math.floor(pollIntervalMinutes / 2)) % pollIntervalMinutes;
  return between + pollIntervalMinutes * nameOffset(workspace, 'reconcile', 60 / pollIntervalMinutes);
}

/** Scheduler wants the singular for one. */
function rate(minutes: number): string {
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}
