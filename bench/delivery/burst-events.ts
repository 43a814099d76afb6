/**
 * A burst of change events as the poller publishes them after a bulk edit in Midaxo: `count` deals of
 * one process, most updated (stage and owner, or stage alone), some created, a few deleted, one
 * second apart, each as the SQS message raw delivery gives a paced target's worker.
 */
import { buildChangeEvent } from '../../shared/core/build-change-event.js';
import type { ChangeEvent, ChangeKind } from '../../shared/core/change-event.js';
import { eventJson } from '../../shared/core/event-json.js';
import type { JsonObject } from '../../shared/core/json.js';
import { diffProjects } from '../../shared/core/project-diff.js';
import type { QueuedMessage } from '../../shared/delivery/sqs-batch.js';

const STAGES = ['Screening', 'Due Diligence', 'Negotiation', 'Signing', 'Closed'] as const;
const OWNERS = ['Aino Virtanen', 'James Whitfield', 'Mei Tanaka', 'Lucas Moreau'] as const;

export const BURST_START = Date.parse('2026-03-02T09:00:00Z');

function kindOf(n: number): ChangeKind {
  if (n % 50 === 49) return 'deleted';
  if (n % 10 === 9) return 'created';
  return 'updated';
}

function dealOf(n: number, version: 0 | 1): JsonObject {
  return {
    id: `prj-${String(n + 1).padStart(6, '0')}`,
    name: `Project ${n + 1}`,
    stage: STAGES[(n + version) % STAGES.length] ?? 'Screening',
    owner: {
      id: `usr-${n % 4}`,
      name: OWNERS[(n + (version === 1 && n % 3 === 0 ? 1 : 0)) % OWNERS.length] ?? '',
    },
  };
}

/** The `n`th change of a burst, starting at `startMs`, one a second. */
export function burstEvent(n: number, startMs = BURST_START): ChangeEvent {
  const kind = kindOf(n);
  const before = dealOf(n, 0);
  const after = dealOf(n, 1);
  const project = kind === 'deleted' ? before : after;
  return buildChangeEvent({
    kind,
    sourceBase: 'https://api.app-eu.midaxo.com',
    processId: 'proc-emea',
    projectId: String(project.id),
    sequence: kind === 'created' ? 1 : 2,
    hash: `hash-${n}`,
    changes: kind === 'deleted' ? [] : diffProjects(kind === 'created' ? {} : before, project, new Set()),
    project,
    detectedAt: new Date(startMs + n * 1_000),
  });
}

export function burstEvents(count: number, startMs = BURST_START): ChangeEvent[] {
  return Array.from({ length: count }, (_, n) => burstEvent(n, startMs));
}

/** The events as the queue holds them: the CloudEvents JSON as body (raw delivery). */
export function queuedMessagesOf(events: readonly ChangeEvent[]): QueuedMessage[] {
  return events.map((event, n) => ({
    messageId: `msg-${n}-${event.id.slice(0, 8)}`,
    body: eventJson(event),
  }));
}

/** The SQS event Lambda invokes a worker with. */
export function sqsEventOf(messages: readonly QueuedMessage[]) {
  return {
    Records: messages.map(({ messageId, body }) => ({
      messageId,
      receiptHandle: `handle-${messageId}`,
      body,
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:slack-deals',
      awsRegion: 'eu-west-1',
    })),
  };
}
