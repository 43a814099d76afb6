/**
 * Change events as a standard producer emits them (built with the CloudEvents SDK, `sequence` as an
 * extension attribute), and the SQS events Lambda hands the consumer for them (raw SNS delivery: the
 * body is the CloudEvents JSON document).
 */
import { createHash } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { CloudEvent } from 'cloudevents';

export interface ChangeSpec {
  readonly sequence: number;
  readonly type?: 'created' | 'updated' | 'deleted';
  readonly processId?: string;
  readonly projectId: string;
  /** The project's snapshot; omitted for `deleted` unless given. */
  readonly project?: Record<string, unknown>;
}

/** Fixed-width, as the contract requires: string order is numeric order. */
export function sequenceOf(n: number): string {
  return String(n).padStart(20, '0');
}

/** Derived from what identifies the change, so the same change always gets the same id. */
export function eventIdOf(spec: ChangeSpec): string {
  const identity = [spec.processId ?? 'proc-emea', spec.projectId, spec.sequence].join('\n');
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

export function changeEvent(spec: ChangeSpec): CloudEvent<Record<string, unknown>> {
  const processId = spec.processId ?? 'proc-emea';
  const type = spec.type ?? 'updated';
  const project =
    spec.project ?? (type === 'deleted' ? undefined : { id: spec.projectId, rev: spec.sequence });
  return new CloudEvent({
    specversion: '1.0',
    id: eventIdOf(spec),
    source:
      `https://api.app-eu.midaxo.com/processes/${encodeURIComponent(processId)}` +
      `/projects/${encodeURIComponent(spec.projectId)}`,
    type: `com.midaxo.project.${type}`,
    subject: spec.projectId,
    time: '2026-11-27T09:30:00.000Z',
    datacontenttype: 'application/json',
    data: { processId, projectId: spec.projectId, changes: [], project: project ?? null },
    sequence: sequenceOf(spec.sequence),
  });
}

let messageCounter = 0;

/** One SQS record per body, each with its own message id. */
export function sqsEventOf(...bodies: readonly string[]): SQSEvent {
  return {
    Records: bodies.map((body) => {
      messageCounter += 1;
      return {
        messageId: `message-${messageCounter}`,
        receiptHandle: `receipt-${messageCounter}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1795771800000',
          SenderId: 'AIDAEXAMPLE',
          ApproximateFirstReceiveTimestamp: '1795771800000',
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:midaxo-change-consumer',
        awsRegion: 'eu-west-1',
      };
    }),
  };
}

/** The SQS event for these change events, each body the event's JSON as SNS delivers it raw. */
export function deliveryOf(...events: readonly CloudEvent<unknown>[]): SQSEvent {
  return sqsEventOf(...events.map((event) => JSON.stringify(event)));
}
