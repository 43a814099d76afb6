/** The delivery scenario's part of the report: a burst through a Slack and an email digest target. */
import type { DeliveryBurstResults, TargetFigures } from '../scenarios/delivery-burst.js';
import { count, seconds } from './figure-format.js';
import type { ReportFormat } from './report-format.js';
import { type Check, check } from './targets.js';

export function deliverySection(results: DeliveryBurstResults, { table, heading }: ReportFormat): string[] {
  const row = (label: string, figure: (target: TargetFigures) => string) => [
    label,
    figure(results.slack),
    figure(results.email),
  ];
  return [
    heading(
      `Burst of ${count(results.changes)} changes published at once (real workers, simulated clock; ` +
        `Slack stand-in 1 post/s, burst 10, 429 + Retry-After)`,
    ),
    table(
      ['', 'Slack target', `email digest target (${results.digestMinutes} min)`],
      [
        row('posts / emails sent', (t) => count(t.messagesSent)),
        row('events counted in them', (t) => count(t.eventsCounted)),
        row('events delivered (left the queue)', (t) => count(t.eventsDelivered)),
        row('events dead-lettered', (t) => count(t.deadLettered)),
        row('429s received', (t) => count(t.throttled)),
        row('worker invocations', (t) => count(t.invocations)),
        row('minutes to drain', (t) => t.minutesToDrain.toFixed(2)),
      ],
      ['left', 'right', 'right'],
    ),
    `One change alone reaches Slack ${seconds(results.singleChangeToSlackMs)} after its publish ` +
      `(batching window ${seconds(results.slackBatchingWindowMs)}).`,
  ];
}

/** Slack and email never flood and never dead-letter a burst; a lone change still arrives promptly. */
export function deliveryChecks(results: DeliveryBurstResults): Check[] {
  const { changes, slack, email } = results;
  return [
    check(`burst of ${changes}: Slack posts`, slack.messagesSent, '<=', 20),
    check(`burst of ${changes}: digest emails`, email.messagesSent, '<=', 5),
    check(`burst of ${changes}: events dead-lettered`, slack.deadLettered + email.deadLettered, '=', 0),
    check(`burst of ${changes}: events counted in Slack posts`, slack.eventsCounted, '=', changes),
    check(`burst of ${changes}: events counted in emails`, email.eventsCounted, '=', changes),
    check(
      'one change: ms from publish to Slack',
      results.singleChangeToSlackMs,
      '<=',
      results.slackBatchingWindowMs + SINGLE_CHANGE_MARGIN_MS,
    ),
  ];
}

/** "Within the batching window plus a few seconds." */
const SINGLE_CHANGE_MARGIN_MS = 5_000;
