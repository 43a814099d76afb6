/**
 * The fields of a change event this consumer relies on, validated with one schema: what
 * docs/events.md promises, checked from the receiving side. Everything else in the event is kept
 * but not required, so a later minor version of the contract (a new optional field) does not break
 * the consumer.
 */
import { z } from 'zod';
import { describeIssues } from '../../shared/config/config-error.js';
import { sourceNamesProject } from '../../shared/core/build-change-event.js';
import { MAX_PROJECT_ID_LENGTH } from '../../shared/core/project-admission.js';
import { InvalidChangeEventError } from '../../shared/notifications/change-event-schema.js';

/** As long as the notifier sends them; the projects table keys long ids by their hash. */
const MAX_ID_CHARS = MAX_PROJECT_ID_LENGTH;

const entityId = (what: string) =>
  z
    .string({ error: `expected the ${what} as a string` })
    .min(1, `expected the ${what}`)
    .max(MAX_ID_CHARS, `expected the ${what} within ${MAX_ID_CHARS} characters`);

const receivedChangeSchema = z
  .looseObject({
    specversion: z.literal('1.0', { error: 'expected CloudEvents specversion "1.0"' }),
    id: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 lowercase hex characters'),
    type: z.enum(['com.midaxo.project.created', 'com.midaxo.project.updated', 'com.midaxo.project.deleted'], {
      error: 'expected com.midaxo.project.created, updated or deleted',
    }),
    source: z.string().min(1, 'expected the URI of the project the event is about'),
    subject: entityId('project id'),
    sequence: z.string().regex(/^\d{20}$/, 'expected a 20-digit decimal string (the CloudEvents sequence)'),
    data: z.looseObject({
      processId: entityId('process id'),
      projectId: entityId('project id'),
      project: z.record(z.string(), z.unknown()).nullish(),
      truncated: z.boolean().optional(),
    }),
  })
  .refine((event) => event.subject === event.data.projectId, {
    error: 'expected subject to equal data.projectId',
    path: ['subject'],
  })
  // Events are ordered per `source`, and this consumer keys its order on process and subject: they must agree.
  .refine((event) => sourceNamesProject(event.source, event.data.processId, event.subject), {
    error: 'expected source to be the URI of this project: …/processes/{data.processId}/projects/{subject}',
    path: ['source'],
  });

export type ReceivedChange = z.infer<typeof receivedChangeSchema>;

/**
 * Parses an SQS record body (raw SNS delivery: the CloudEvents JSON document itself); what is wrong is
 * named by field, never by value.
 */
export function parseReceivedChange(body: string): ReceivedChange {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    // JSON.parse's own message quotes the body; say what is wrong without it.
    throw new InvalidChangeEventError(`Not a change event: the body (${body.length} characters) is not JSON`);
  }
  const parsed = receivedChangeSchema.safeParse(document);
  if (!parsed.success) {
    throw new InvalidChangeEventError(`Not a change event:\n${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}
