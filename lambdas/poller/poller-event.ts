/**
 * The invocation payload: `{"mode":"poll"}` from the poll schedule (also the default for an empty or
 * foreign payload, such as an EventBridge scheduled event), `{"mode":"reconcile"}` for the deletion sweep.
 */
import { z } from 'zod';
import { ConfigError, describeIssues } from '../../shared/config/config-error.js';

const pollerEventSchema = z.looseObject({
  mode: z.enum(['poll', 'reconcile'], { error: 'expected "poll" or "reconcile"' }).default('poll'),
});

export type PollerEvent = z.infer<typeof pollerEventSchema>;

export function parsePollerEvent(event: unknown): PollerEvent {
  const parsed = pollerEventSchema.safeParse(event ?? {});
  if (!parsed.success)
    throw new ConfigError(`Invalid invocation payload:\n${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}
