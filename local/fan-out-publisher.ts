/**
 * Publishes every event to several publishers at once (stdout, webhooks, SNS). The publish succeeds only
 * when every publisher accepted it; otherwise the cycle keeps its state and the next one sends the events
 * again to all of them, under the same event ids. The webhook publisher accepts an event once it has
 * queued it for a receiver that did not take it, so a broken receiver never fails the cycle.
 */
import type { EventPublisher } from '../shared/core/ports.js';

export class FanOutPublishError extends Error {
  override readonly name = 'FanOutPublishError';

  constructor(readonly errors: readonly unknown[]) {
    const described = errors.map((error) =>
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    );
    super(`${errors.length} publishers failed: ${described.join('; ')}`);
  }
}

export function createFanOutPublisher(publishers: readonly EventPublisher[]): EventPublisher {
  return {
    async publish(events) {
      if (events.length === 0) return;
      const outcomes = await Promise.allSettled(publishers.map((publisher) => publisher.publish(events)));
      const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new FanOutPublishError(errors);
    },
  };
}
