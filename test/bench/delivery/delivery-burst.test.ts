/**
 * The bench's delivery scenario, untimed: a burst of 1,000 changes through the real Slack and email
 * digest workers, on a simulated clock, as `npm run bench -- --only delivery` runs it; and the model
 * of the event source mapping it runs on.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { burstEvents, queuedMessagesOf } from '../../../bench/delivery/burst-events.js';
import { drainThroughMapping } from '../../../bench/delivery/event-source-mapping.js';
import { createSimulatedClock } from '../../../bench/delivery/simulated-clock.js';
import { deliveryChecks } from '../../../bench/report/delivery-section.js';
import { eventsIn, runDeliveryBurstScenario } from '../../../bench/scenarios/delivery-burst.js';
import type { BatchResponse } from '../../../shared/delivery/drain-to-paced-target.js';

const SETTINGS = {
  batchSize: 3,
  maxBatchingWindowMs: 20_000,
  visibilityTimeoutMs: 60_000,
  maxReceiveCount: 2,
  functionTimeoutMs: 10_000,
};

describe('delivery burst scenario', () => {
  it('turns 1,000 changes into few Slack posts and one digest email, every event counted, none dead-lettered', async () => {
    const results = await runDeliveryBurstScenario({ progress: () => {} });

    expect(results.slack).toMatchObject({ eventsCounted: 1000, eventsDelivered: 1000, deadLettered: 0 });
    expect(results.email).toMatchObject({ eventsCounted: 1000, eventsDelivered: 1000, deadLettered: 0 });
    expect(results.slack.messagesSent).toBeLessThanOrEqual(20);
    expect(results.email.messagesSent).toBeLessThanOrEqual(5);
    expect(results.singleChangeToSlackMs).toBeGreaterThanOrEqual(results.slackBatchingWindowMs);
    expect(deliveryChecks(results).every((check) => check.pass)).toBe(true);
  });

  it('counts the events a message carries: a digest its changes, a single message one', () => {
    expect(eventsIn('1,000 changes to 1,000 deals in Midaxo: 880 updated')).toBe(1000);
    expect(eventsIn('2 changes to 1 deal: 2 updated')).toBe(2);
    expect(eventsIn('Project "Falcon" updated: stage')).toBe(1);
  });
});

describe('event source mapping model', () => {
  const messages = queuedMessagesOf(burstEvents(5));

  it('hands over a full batch at once and waits the batching window for a partial one', async () => {
    const clock = createSimulatedClock();
    const start = clock.now();
    const seen: { size: number; at: number }[] = [];
    const worker = async (event: unknown): Promise<BatchResponse> => {
      seen.push({ size: (event as { Records: unknown[] }).Records.length, at: clock.now() - start });
      return { batchItemFailures: [] };
    };

    const outcome = await drainThroughMapping(
      messages.map((message) => ({ message, at: start })),
      SETTINGS,
      worker,
      clock,
    );

    expect(seen).toEqual([
      { size: 3, at: 0 },
      { size: 2, at: 20_000 },
    ]);
    expect(outcome.delivered).toHaveLength(5);
  });

  it('receives a returned message again after the visibility timeout, and dead-letters it on its last receive', async () => {
    const clock = createSimulatedClock();
    const start = clock.now();
    const [stubborn, fine] = messages.slice(0, 2);
    if (stubborn === undefined || fine === undefined) throw new Error('expected two messages');
    let receives = 0;
    const worker = async (event: unknown, context: Context): Promise<BatchResponse> => {
      expect(context.getRemainingTimeInMillis()).toBe(SETTINGS.functionTimeoutMs);
      const ids = (event as { Records: { messageId: string }[] }).Records.map((r) => r.messageId);
      if (ids.includes(stubborn.messageId)) receives++;
      return { batchItemFailures: [{ itemIdentifier: stubborn.messageId }] };
    };

    const outcome = await drainThroughMapping(
      [stubborn, fine].map((message) => ({ message, at: start })),
      SETTINGS,
      worker,
      clock,
    );

    expect(receives).toBe(2);
    expect(outcome.deadLettered).toEqual([stubborn.messageId]);
    expect(outcome.delivered).toEqual([fine.messageId]);
    // Two messages wait the window; the returned one is visible again 60 s after, alone, and waits again.
    expect(outcome.drainedAt - start).toBe(20_000 + 60_000 + 20_000);
  });
});
