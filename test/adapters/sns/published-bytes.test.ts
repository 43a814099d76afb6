/**
 * Pins what leaves the poller for a varied set of changes: every PublishBatch entry as the SDK is
 * handed it, and the event-log and project items written to DynamoDB. Rewriting how these are built
 * (for speed, say) must not change one byte: consumers de-duplicate on ids and verify what they get,
 * and the event log is replayed as recorded. A deliberate change of content updates the pins here.
 */
import { createHash } from 'node:crypto';
import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { randomProjectEdit, sampleProject } from '../../../sandbox/sample-projects.js';
import { mulberry32 } from '../../../sandbox/seeded-random.js';
import { toEventItem } from '../../../shared/adapters/dynamodb/event-item.js';
import { toProjectItem } from '../../../shared/adapters/dynamodb/project-item.js';
import { DEFAULT_MAX_SNAPSHOT_BYTES } from '../../../shared/adapters/dynamodb/state-table.js';
import { createSnsEventPublisher } from '../../../shared/adapters/sns/sns-event-publisher.js';
import { contentHash } from '../../../shared/core/canonical-json.js';
import { detectChanges } from '../../../shared/core/detect-changes.js';
import type { JsonObject } from '../../../shared/core/json.js';
import type { PendingChange, Project, StoredProject } from '../../../shared/core/ports.js';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

const IGNORED = new Set(['updatedAt']);
const RECORDED_AT = '2031-01-01T00:05:00.000Z';
const EXPIRES_AT = 1_924_992_300;

/** Projects before and after, as a listing would bring them: edits, odd text and keys, a huge value. */
function projectPairs(): { before: JsonObject | undefined; after: JsonObject }[] {
  const random = mulberry32(42);
  const pairs: { before: JsonObject | undefined; after: JsonObject }[] = [];
  for (let index = 1; index <= 40; index++) {
    const before = sampleProject(index);
    const after = {
      ...before,
      ...randomProjectEdit(before, random).patch,
      updatedAt: '2031-01-01T00:00:00Z',
    };
    pairs.push({ before, after });
  }
  pairs.push({ before: undefined, after: sampleProject(41) });
  const odd = sampleProject(42);
  pairs.push({
    before: odd,
    after: {
      ...odd,
      name: '  Société\tGénérale \u202eevil\u202c\n「案件」 — “Phase 2”  ',
      stage: 'Closing\u0007\u001b[31m',
      'a/b~c': { '': 'empty key', ['__proto__']: 'proto', constructor: [1, { x: null }] },
      owner: { id: 'usr-9', name: 'Zoë O’Brien' },
      tags: [],
      customFields: { ...(odd.customFields as JsonObject), probability: 0.1 + 0.2, region: '' },
      updatedAt: 'not a time',
    },
  });
  const huge = sampleProject(43);
  pairs.push({ before: huge, after: { ...huge, description: 'Memo “notes”. '.repeat(30_000) } });
  return pairs;
}

function changesOf(): PendingChange[] {
  const listed: Project[] = [];
  const stored = new Map<string, StoredProject>();
  for (const { before, after } of projectPairs()) {
    const id = String(after.id);
    listed.push({ id, body: after });
    if (before !== undefined) {
      stored.set(id, { projectId: id, hash: contentHash(before, IGNORED), snapshot: before, sequence: 7 });
    }
  }
  return detectChanges(listed, stored, {
    mode: 'incremental',
    publishBaseline: false,
    ignoredFields: IGNORED,
    sourceBase: 'https://api.app-eu.midaxo.com',
    processId: 'proc-emea',
    detectedAt: new Date('2031-01-01T00:04:00.000Z'),
  }).changes;
}

async function publishedEntries(changes: readonly PendingChange[]) {
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
  }));
  const client = new SNSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const publisher = createSnsEventPublisher({
    client,
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:changes',
  });
  const fitted = changes.map((change) => ({
    ...change,
    event: publisher.fitForTransport?.(change.event) ?? change.event,
  }));
  await publisher.publish(fitted.map((change) => change.event));
  const entries = sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
  return { fitted, entries };
}

/** The odd deal's update (text with controls, bidi overrides and accents; keys with `/` and `~`). */
const ODD_DEAL_DEFAULT_BODY = [
  '{"specversion":"1.0","id":"b595b5d682253e6d7f5e8cc81f2a2272",',
  '"source":"https://api.app-eu.midaxo.com/processes/proc-emea/projects/prj-000042",',
  '"type":"com.midaxo.project.updated","subject":"prj-000042",',
  '"sequence":"00000000000000000008","time":"2031-01-01T00:04:00.000Z",',
  '"datacontenttype":"application/json","data":{"processId":"proc-emea",',
  '"projectId":"prj-000042","changes":[{"path":"/a~1b~0c","after":{"":"empty key",',
  '"__proto__":"proto","constructor":[1,{"x":null}]}},{"path":"/customFields/probability",',
  '"before":55,"after":0.30000000000000004},{"path":"/customFields/region",',
  '"before":"North America","after":""},{"path":"/name",',
  '"before":"Falcon: Acquisition of Nordhaven Logistics",',
  '"after":"  Société\\tGénérale \u202eevil\u202c\\n「案件」 — “Phase 2”  "},{"path":"/owner/id",',
  '"before":"usr-1003","after":"usr-9"},{"path":"/owner/name","before":"Sofia Martins",',
  '"after":"Zoë O’Brien"},{"path":"/stage","before":"Closing",',
  '"after":"Closing\\u0007\\u001b[31m"},{"path":"/tags","before":["priority"],"after":[]}],',
  '"project":{"id":"prj-000042","name":"  Société\\tGénérale \u202eevil\u202c\\n「案件」 — “Phase 2”  ",',
  '"stage":"Closing\\u0007\\u001b[31m","owner":{"id":"usr-9","name":"Zoë O’Brien"},',
  '"dealValue":{"amount":459650000,"currency":"GBP"},"tags":[],',
  '"createdAt":"2024-01-01T07:08:52.792Z","updatedAt":"not a time",',
  '"customFields":{"industry":"Energy","region":"","probability":0.30000000000000004,',
  '"expectedCloseDate":"2024-06-23","confidential":false},"a/b~c":{"":"empty key",',
  '"__proto__":"proto","constructor":[1,{"x":null}]}}}}',
].join('');

const ODD_DEAL_EMAIL = `${[
  'Project "Société Générale evil 「案件」 — “Phase 2”" was updated.',
  '',
  'What changed',
  '  a/b~c: (not set) → {"":"empty key","__proto__":"proto","constructor":[1,{"x":null}]}',
  '  customFields › probability: 55 → 0.30000000000000004',
  '  customFields › region: North America → (empty)',
  '  name: Falcon: Acquisition of Nordhaven Logistics → Société Générale evil 「案件」 — “Phase 2”',
  '  owner › id: usr-1003 → usr-9',
  '  owner › name: Sofia Martins → Zoë O’Brien',
  '  stage: Closing → Closing [31m',
  '  tags: priority → (empty)',
  '',
  'Process:  proc-emea',
  'Project:  prj-000042',
  'When:     2031-01-01 00:04 UTC',
  'Event id: b595b5d682253e6d7f5e8cc81f2a2272',
].join('\n')}\n`;

function digest(values: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const value of values) hash.update(JSON.stringify(value)).update('\n');
  return hash.digest('hex');
}

describe('the bytes the poller sends', () => {
  it('publishes each change exactly as before: message, subject and attributes', async () => {
    const { entries } = await publishedEntries(changesOf());

    expect(entries).toHaveLength(43);
    // Changed on purpose for the shortened huge deal only: it keeps the name and says where the rest is.
    expect(digest(entries)).toBe('4ea8b002d6b69abd33763e1e0016c995b5eabefdc61423977d96083d4312e10e');
  });

  it('records and remembers each change exactly as before', async () => {
    const { fitted } = await publishedEntries(changesOf());

    const eventItems = fitted.map((change) => toEventItem('proc-emea', change, RECORDED_AT, EXPIRES_AT));
    const projectItems = fitted.map((change) =>
      toProjectItem('proc-emea', change.state, RECORDED_AT, DEFAULT_MAX_SNAPSHOT_BYTES),
    );
    expect(digest(eventItems)).toBe('ea7f99ea3133377b1a9e6d7e595c5f63c7686ffa18d1d6af71125ea16ae0777b');
    // Project items carry numericId since ids' kinds are kept (1 and "1" told apart); events are unchanged.
    expect(digest(projectItems)).toBe('de9c041a09922a59e2ce262e6dea7a95208845c6275f696525fe11546c1a4882');
  });

  it('sends the update of a deal with odd text and keys as these bytes', async () => {
    const [first] = (await publishedEntries(changesOf().slice(41, 42))).entries;

    expect(first).toEqual({
      Id: 'm0',
      Message: `{"default":${JSON.stringify(ODD_DEAL_DEFAULT_BODY)},"email":${JSON.stringify(ODD_DEAL_EMAIL)}}`,
      MessageStructure: 'json',
      Subject:
        'Midaxo: "Societe Generale evil ???? - "Phase 2"" updated (a/b~c, customFields, name, +3 more)',
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'updated' },
        processId: { DataType: 'String', StringValue: 'proc-emea' },
        changedFields: {
          DataType: 'String.Array',
          StringValue: '["a/b~c","customFields","name","owner","stage","tags"]',
        },
      },
    });
  });
});
