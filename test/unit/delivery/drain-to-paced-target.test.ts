import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../../bench/delivery/simulated-clock.js';
import {
  type Delivery,
  drainToPacedTarget,
  type PacingOptions,
  type SendOutcome,
  toBatchResponse,
} from '../../../shared/delivery/drain-to-paced-target.js';

const PACING: PacingOptions = {
  minIntervalMs: 1_000,
  retryPause: { backoff: { maxAttempts: 1, baseDelayMs: 1_000, maxDelayMs: 30_000 }, maxPauseMs: 60_000 },
  sendTimeoutMs: 10_000,
};

function deliveries(count: number): Delivery<string>[] {
  return Array.from({ length: count }, (_, i) => ({ payload: `p${i}`, messageIds: [`m${i}`] }));
}

/** A target that answers from a script (then `delivered`), recording when each send started. */
function scriptedTarget(clock: { now(): number }, script: Record<string, SendOutcome[]> = {}) {
  const sends: { payload: string; at: number }[] = [];
  return {
    sends,
    send: async (payload: string): Promise<SendOutcome> => {
      sends.push({ payload, at: clock.now() });
      return script[payload]?.shift() ?? { kind: 'delivered' };
    },
  };
}

/** A Lambda invocation of `timeoutMs` that started at the clock's current time. */
function invocation(clock: { now(): number }, timeoutMs: number) {
  const end = clock.now() + timeoutMs;
  return () => end - clock.now();
}

describe('drainToPacedTarget', () => {
  it('delivers every payload in order, never two sends within the pace', async () => {
    const clock = createSimulatedClock(0);
    const target = scriptedTarget(clock);

    const result = await drainToPacedTarget({
      deliveries: deliveries(5),
      target,
      pacing: PACING,
      clock,
      remainingTimeMs: invocation(clock, 60_000),
    });

    expect(result).toMatchObject({ failedMessageIds: [], delivered: 5, sends: 5, retries: 0 });
    expect(target.sends.map((s) => s.payload)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(target.sends.map((s) => s.at)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
  });

  it('pauses the whole target for Retry-After: the next delivery waits too, so there is no retry storm', async () => {
    const clock = createSimulatedClock(0);
    const target = scriptedTarget(clock, { p0: [{ kind: 'retry', reason: '429', retryAfterMs: 7_000 }] });

    const result = await drainToPacedTarget({
      deliveries: deliveries(2),
      target,
      pacing: PACING,
      clock,
      remainingTimeMs: invocation(clock, 60_000),
    });

    expect(result).toMatchObject({ failedMessageIds: [], delivered: 2, sends: 3, retries: 1 });
    expect(target.sends).toEqual([
      { payload: 'p0', at: 0 },
      { payload: 'p0', at: 7_000 },
      { payload: 'p1', at: 8_000 },
    ]);
  });

  it('hands back what it could not send before the invocation runs out, and only that', async () => {
    const clock = createSimulatedClock(0);
    const down: SendOutcome = { kind: 'retry', reason: '503' };
    const target = scriptedTarget(clock, { p1: Array.from({ length: 100 }, () => down) });

    const result = await drainToPacedTarget({
      deliveries: deliveries(4),
      target,
      pacing: PACING,
      clock,
      remainingTimeMs: invocation(clock, 60_000),
      random: () => 0.99,
    });

    expect(result.failedMessageIds).toEqual(['m1', 'm2', 'm3']);
    expect(result).toMatchObject({ delivered: 1, unsent: 3 });
    // Every send started with the send timeout still left in the invocation.
    expect(Math.max(...target.sends.map((s) => s.at))).toBeLessThanOrEqual(60_000 - PACING.sendTimeoutMs);
    // Backing off: far fewer attempts than one a second.
    expect(result.sends).toBeLessThan(15);
  });

  it('caps a Retry-After longer than the invocation could wait, and keeps the messages queued instead', async () => {
    const clock = createSimulatedClock(0);
    const target = scriptedTarget(clock, { p0: [{ kind: 'retry', reason: '429', retryAfterMs: 3_600_000 }] });
    const pauses: number[] = [];

    const result = await drainToPacedTarget({
      deliveries: deliveries(1),
      target,
      pacing: PACING,
      clock,
      remainingTimeMs: invocation(clock, 30_000),
      onPause: ({ pauseMs }) => pauses.push(pauseMs),
    });

    expect(pauses).toEqual([60_000]);
    expect(result.failedMessageIds).toEqual(['m0']);
    expect(clock.now()).toBeLessThan(30_000);
  });

  it('without a retry pause, ends the drain at the first retry and hands back that delivery and the rest', async () => {
    const clock = createSimulatedClock(0);
    const target = scriptedTarget(clock, { p1: [{ kind: 'retry', reason: '503' }] });
    const pauses: number[] = [];

    const result = await drainToPacedTarget({
      deliveries: deliveries(4),
      target,
      pacing: { minIntervalMs: 1_000, sendTimeoutMs: 10_000 },
      clock,
      remainingTimeMs: invocation(clock, 60_000),
      onPause: ({ pauseMs }) => pauses.push(pauseMs),
    });

    expect(target.sends.map((s) => s.payload)).toEqual(['p0', 'p1']);
    expect(result).toMatchObject({ failedMessageIds: ['m1', 'm2', 'm3'], delivered: 1, retries: 1 });
    expect(pauses).toEqual([]);
    expect(clock.now()).toBeLessThan(2_000);
  });

  it('returns a rejected delivery to the queue and goes on with the others', async () => {
    const clock = createSimulatedClock(0);
    const target = scriptedTarget(clock, { p1: [{ kind: 'rejected', reason: 'HTTP 400' }] });
    const rejected: string[][] = [];

    const result = await drainToPacedTarget({
      deliveries: [...deliveries(3), { payload: 'digest', messageIds: ['m3', 'm4'] }],
      target,
      pacing: PACING,
      clock,
      remainingTimeMs: invocation(clock, 60_000),
      onRejected: ({ messageIds }) => rejected.push([...messageIds]),
    });

    expect(result).toMatchObject({ failedMessageIds: ['m1'], delivered: 3, rejected: 1 });
    expect(rejected).toEqual([['m1']]);
  });
});

describe('toBatchResponse', () => {
  it("names each failed message once, as Lambda's partial batch response", () => {
    expect(toBatchResponse(['a', 'b', 'a'])).toEqual({
      batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }],
    });
    expect(toBatchResponse([])).toEqual({ batchItemFailures: [] });
  });
});
