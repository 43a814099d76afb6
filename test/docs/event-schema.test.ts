/**
 * The published event contract (docs/schema/change-event.v1.json, described in docs/events.md) against
 * the code: the checked-in JSON Schema is the one generated from the zod schema, and every kind of
 * event the real core publishes through the real SNS publisher validates against the file itself.
 */
import { writeFileSync } from 'node:fs';
import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudEvent, type CloudEventV1 } from 'cloudevents';
import jsonpointer from 'jsonpointer';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleProject } from '../../sandbox/sample-projects.js';
import { createSnsEventPublisher } from '../../shared/adapters/sns/sns-event-publisher.js';
import { defaultBodyOf } from '../../shared/adapters/sns/sns-message.js';
import type { ChangeEvent } from '../../shared/core/change-event.js';
import { type PollSettings, pollProcess } from '../../shared/core/poll-process.js';
import { reconcileProcess } from '../../shared/core/reconcile-process.js';
import { changeEventJsonSchema } from '../../shared/notifications/change-event-json-schema.js';
import {
  CHANGE_EVENT_SCHEMA_ID,
  CHANGE_EVENT_SCHEMA_VERSION,
  strictChangeEventSchema,
} from '../../shared/notifications/change-event-schema.js';
import {
  type FakeProject,
  InMemoryProjectSource,
  InMemoryStateStore,
  ManualClock,
} from '../fakes/in-memory-ports.js';
import { checkedInSchema, SCHEMA_FILE, strictValidator } from './published-schema.js';

const REGENERATE =
  'UPDATE_EVENT_SCHEMA=1 npx vitest run test/docs/event-schema.test.ts && npx biome check --write docs/schema';
const PROCESS = 'proc-emea';
const sns = mockClient(SNSClient);

/** Runs the core through baseline, edits, a lost snapshot and a deletion, publishing through SNS. */
async function publishedByTheRealCode(): Promise<ChangeEvent[]> {
  const published: ChangeEvent[] = [];
  sns.reset();
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
    const entries = input.PublishBatchRequestEntries ?? [];
    for (const entry of entries)
      published.push(JSON.parse(defaultBodyOf(entry.Message ?? '')) as ChangeEvent);
    return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: 'm' })) };
  });
  const clock = new ManualClock(new Date('2026-11-27T08:00:00.000Z'));
  const source = new InMemoryProjectSource(3);
  const store = new InMemoryStateStore();
  const publisher = createSnsEventPublisher({
    client: new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:changes',
  });
  const deps = { source, store, processes: store, publisher, clock };
  const settings: PollSettings = {
    overlapSeconds: 300,
    ignoredFields: new Set(['updatedAt']),
    publishBaseline: true,
    sourceBase: 'https://api.app-eu.midaxo.com',
  };
  const projects = [1, 2, 3, 4, 5].map((n) => sampleProject(n) as FakeProject);
  const huge = sampleProject(6, { paddingBytes: 400 * 1024 }) as FakeProject;
  source.put(...projects, huge);
  await pollProcess(deps, settings, PROCESS);

  const edit = (project: FakeProject, patch: Record<string, string>) =>
    source.put({ ...project, ...patch, updatedAt: clock.advance(60).toISOString() });
  edit(projects[0] as FakeProject, { stage: 'Signing' });
  edit(huge, { stage: 'Closing' });
  // A snapshot too large to keep: the store remembers only the hash, so the next update cannot be diffed.
  const lostSnapshot = projects[1] as FakeProject;
  const stored = store.projects.get(`${PROCESS}/${lostSnapshot.id}`);
  if (stored)
    store.projects.set(`${PROCESS}/${lostSnapshot.id}`, {
      projectId: stored.projectId,
      hash: stored.hash,
      sequence: stored.sequence,
    });
  edit(lostSnapshot, { name: 'Project Hawk' });
  clock.advance(600);
  await pollProcess(deps, settings, PROCESS);

  source.projects.delete((projects[2] as FakeProject).id);
  clock.advance(3600);
  await reconcileProcess(deps, settings, PROCESS);
  return published;
}

describe('the published change event schema', () => {
  it('is the JSON Schema generated from the event’s zod schema (regenerate it when this fails)', () => {
    const generated = changeEventJsonSchema();
    if (process.env.UPDATE_EVENT_SCHEMA === '1')
      writeFileSync(SCHEMA_FILE, `${JSON.stringify(generated, null, 2)}\n`);

    expect(checkedInSchema(), `docs/schema is out of date; run: ${REGENERATE}`).toEqual(generated);
  });

  it('is draft 2020-12 and names its version, which the file name carries as its major', () => {
    const schema = checkedInSchema();

    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(CHANGE_EVENT_SCHEMA_ID);
    expect(schema.$id).toContain(CHANGE_EVENT_SCHEMA_VERSION);
    expect(SCHEMA_FILE.pathname).toContain(`.v${CHANGE_EVENT_SCHEMA_VERSION.split('.')[0]}.json`);
  });

  describe('against events the real code publishes', () => {
    let events: ChangeEvent[];

    beforeAll(async () => {
      events = await publishedByTheRealCode();
    });

    it('covers every kind of event: created, updated, deleted, truncated, and updates without a diff', () => {
      const kinds = new Set(events.map((event) => event.type));
      expect(kinds).toEqual(
        new Set(['com.midaxo.project.created', 'com.midaxo.project.updated', 'com.midaxo.project.deleted']),
      );
      expect(events.some((event) => event.data.truncated === true && event.type.endsWith('created'))).toBe(
        true,
      );
      expect(events.some((event) => event.data.truncated === true && event.type.endsWith('updated'))).toBe(
        true,
      );
      expect(events.some((event) => event.data.diffUnavailable === true)).toBe(true);
    });

    it('validates every one of them with ajv in strict mode, an independent JSON Schema implementation', () => {
      const validate = strictValidator();
      for (const event of events) {
        expect(validate(event), `${event.type} ${event.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    });

    it('reads every one of them as a valid CloudEvent with the CloudEvents SDK, sequence included', () => {
      for (const event of events) {
        const cloudEvent = new CloudEvent(event as unknown as CloudEventV1<unknown>, true);
        expect(cloudEvent.validate()).toBe(true);
        expect(cloudEvent.sequence).toBe(event.sequence);
        expect(cloudEvent.source).toBe(event.source);
      }
    });

    it('points every change path, by an independent JSON Pointer library, at the value it reports', () => {
      for (const event of events.filter((e) => e.data.project !== null && !e.data.truncated)) {
        for (const change of event.data.changes) {
          if ('after' in change)
            expect(jsonpointer.get(event.data.project ?? {}, change.path)).toEqual(change.after);
        }
      }
    });

    it('finds no attribute in them that the schema does not document', () => {
      for (const event of events) {
        const result = strictChangeEventSchema().safeParse(event);
        expect(result.success, `${event.type} ${event.id}: ${result.error?.message}`).toBe(true);
      }
    });

    it('would catch a broken event, so the validation above means something', () => {
      const [event] = events as [ChangeEvent];
      const broken = [
        { ...event, type: 'com.midaxo.project.moved' },
        { ...event, time: '27.11.2026' },
        { ...event, data: { ...event.data, changes: [{ before: 1 }] } },
        { ...event, data: { ...event.data, project: 'Falcon' } },
        { ...event, specversion: '0.3' },
      ];
      const validate = strictValidator();
      for (const candidate of broken) expect(validate(candidate)).toBe(false);
    });
  });
});
