/**
 * The deployed poller's workspace list, read from the state table item the stack writes at deploy: the
 * real handler against DynamoDB Local and the Midaxo sandbox. Read once per container; a missing,
 * malformed or mismatched item fails the invocation with a message saying what to do, before any secret
 * is read or Midaxo asked, and echoes nothing from the item.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { toWorkspacesConfigItem } from '../../../shared/adapters/dynamodb/workspaces-config-item.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import type { RunSummary } from '../../../shared/core/poll-run.js';
import { type PollerHarness, SECRET_ID, startPollerHarness } from '../../faults/poller-harness.js';
import {
  createLocalDynamoDbClient,
  storedWorkspacesVersion,
  storeWorkspaces,
} from '../../support/dynamodb-test-table.js';

const WORKSPACES = [
  { name: 'acme', secretId: SECRET_ID, processIds: ['acme-1', 'acme-2'] },
  { name: 'beta', secretId: SECRET_ID, processIds: ['beta-1'] },
];
/** A secret name that must never appear in a message about the item holding it. */
const PRIVATE_SECRET_NAME = 'midaxo/do-not-echo-7f3a';

describe('the workspace list the stack stores in the state table', () => {
  const client = createLocalDynamoDbClient(inject('dynamoDbEndpoint'));
  let harness: PollerHarness;

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { 'acme-1': sampleProjects(3), 'acme-2': sampleProjects(2), 'beta-1': sampleProjects(4) },
      storedWorkspaces: WORKSPACES,
    });
  });

  beforeEach(() => {
    harness.clock.advance(120);
    harness.sandbox.resetObservations();
    harness.clearDynamoDbRequests();
  });

  afterAll(async () => {
    await harness.close();
    client.destroy();
  });

  const ran = (summary: RunSummary) =>
    summary.processes.map((outcome) => `${outcome.workspace}/${outcome.processId}`);
  const getItems = () => harness.dynamoDbRequests().filter((operation) => operation === 'GetItem');
  /** A container of the same deployment whose environment names `version`. */
  const containerFor = (version: string) =>
    harness.createHandler({ env: { MIDAXO_WORKSPACES_VERSION: version } });
  const failureOf = async (handler: ReturnType<typeof containerFor>) => {
    const error = await harness.invoke({}, undefined, handler).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(harness.sandbox.counters).toMatchObject({ tokenRequests: 0, listingRequests: 0 });
    return (error as Error).message;
  };
  const put = (item: Parameters<typeof toWorkspacesConfigItem>[0], version: string) =>
    client.send(
      new PutItemCommand({ TableName: harness.tableName, Item: toWorkspacesConfigItem(item, version) }),
    );

  it('runs only the workspace a schedule names, reading the list with one GetItem on the container’s first run', async () => {
    const summary = await harness.invoke({ mode: 'poll', workspaces: ['beta'] });

    expect(ran(summary)).toEqual(['beta/beta-1']);
    expect(getItems()).toHaveLength(1);
    expect(await harness.watermark('acme-1')).toBeUndefined();
  });

  it('keeps the list for the container’s later runs: no further GetItem', async () => {
    await harness.invoke({ workspaces: ['beta'] });
    harness.clearDynamoDbRequests();

    const summary = await harness.invoke({});

    expect(ran(summary)).toEqual(['acme/acme-1', 'acme/acme-2', 'beta/beta-1']);
    expect(getItems()).toEqual([]);
  });

  it('refuses a workspace the stored list does not name, listing those it does, before Midaxo is asked', async () => {
    const error = await harness.invoke({ workspaces: ['x'] }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      '- workspaces: "x" not configured; configured: "acme", "beta"',
    );
    expect(harness.sandbox.counters).toMatchObject({ tokenRequests: 0, listingRequests: 0 });
  });

  it('says a missing list has to be written by a deploy, and reads it on the next run once it is there', async () => {
    const later = [{ name: 'gamma', secretId: SECRET_ID, processIds: ['acme-1'] }];
    const container = containerFor(storedWorkspacesVersion(later));

    const message = await failureOf(container);
    await storeWorkspaces(client, harness.tableName, later);
    const summary = await harness.invoke({}, undefined, container);

    expect(message).toContain(
      `The workspace list of version ${storedWorkspacesVersion(later)} (MIDAXO_WORKSPACES_VERSION) is not in the state table`,
    );
    expect(message).toContain(`table ${harness.tableName}, pk "CONFIG", sk "WORKSPACES#`);
    expect(message).toContain('Deploy the stack again');
    expect(ran(summary)).toEqual(['gamma/acme-1']);
  });

  it('refuses an item whose version is not the one its key and the environment name', async () => {
    const version = 'aaaaaaaaaaaaaaaa';
    await client.send(
      new PutItemCommand({
        TableName: harness.tableName,
        Item: { ...toWorkspacesConfigItem(WORKSPACES, version), version: { S: 'bbbbbbbbbbbbbbbb' } },
      }),
    );

    const message = await failureOf(containerFor(version));

    expect(message).toContain(
      "says it is version bbbbbbbbbbbbbbbb, but the poller's MIDAXO_WORKSPACES_VERSION is aaaaaaaaaaaaaaaa",
    );
    expect(message).toContain('Deploy the stack again to rewrite it.');
  });

  it('does not echo a version attribute that is not a version', async () => {
    const version = 'dddddddddddddddd';
    const written = `<script>${'x'.repeat(5_000)}`;
    await client.send(
      new PutItemCommand({
        TableName: harness.tableName,
        Item: { ...toWorkspacesConfigItem(WORKSPACES, version), version: { S: written } },
      }),
    );

    const message = await failureOf(containerFor(version));

    expect(message).toContain('says it is version (not a version)');
    expect(message).not.toContain('<script>');
  });

  it.each([
    [
      'a workspace without processes',
      [{ name: 'acme', secretId: PRIVATE_SECRET_NAME, processIds: [] }],
      'cccccccccccccccc',
      '- workspaces.0.processIds: expected at least one process id',
    ],
    [
      'a name the configuration cannot have',
      [{ name: 'acme corp', secretId: PRIVATE_SECRET_NAME, processIds: ['p1'] }],
      'dddddddddddddddd',
      '- workspaces.0.name: expected 1-64 letters, digits, - or _',
    ],
  ])(
    'refuses a malformed item (%s), naming the field and echoing none of it',
    async (_, workspaces, version, expected) => {
      await put(workspaces, version);

      const message = await failureOf(containerFor(version));

      expect(message).toContain('The workspace list in the state table is malformed');
      expect(message).toContain(expected);
      expect(message).not.toContain(PRIVATE_SECRET_NAME);
    },
  );

  it('refuses an item whose list is not JSON, without quoting it', async () => {
    const version = 'eeeeeeeeeeeeeeee';
    await client.send(
      new PutItemCommand({
        TableName: harness.tableName,
        Item: {
          ...toWorkspacesConfigItem(WORKSPACES, version),
          workspaces: { S: `[{"secretId":"${PRIVATE_SECRET_NAME}"` },
        },
      }),
    );

    const message = await failureOf(containerFor(version));

    expect(message).toContain('- workspaces: expected JSON: [{"name","secretId","processIds":[...]}]');
    expect(message).not.toContain(PRIVATE_SECRET_NAME);
  });
});
