/**
 * The naive comparison row publishes exactly what the real poller publishes, and only its I/O pattern
 * differs: both run against one sandbox and DynamoDB Local (no modelled latency), each with its own table.
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { type BenchAwsClients, createBenchAwsClients } from '../../../bench/aws/bench-aws-clients.js';
import { sumOf } from '../../../bench/aws/request-tally.js';
import { BENCH_CLOCK_START } from '../../../bench/bench-model.js';
import { createNaivePoller } from '../../../bench/naive/naive-poller.js';
import { type BenchPoller, midaxoSecrets, type PollerTarget } from '../../../bench/poller/poller-target.js';
import { createRealPoller } from '../../../bench/poller/real-poller.js';
import { editRandomProjects } from '../../../bench/support/edit-projects.js';
import { offsetClockStartingAt } from '../../../bench/support/offset-clock.js';
import {
  DEFAULT_SANDBOX_CLIENT,
  type MidaxoSandbox,
  startMidaxoSandbox,
} from '../../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { createLocalDynamoDbClient, createStateTable } from '../../support/dynamodb-test-table.js';

const PROCESS = 'bench-equivalence';
const dynamoDbEndpoint = inject('dynamoDbEndpoint');

describe('naive poller', () => {
  const clock = offsetClockStartingAt(BENCH_CLOCK_START);
  let sandbox: MidaxoSandbox;
  let aws: BenchAwsClients;
  let real: BenchPoller;
  let naive: BenchPoller;

  beforeAll(async () => {
    // The handler's metrics would print EMF lines into the test output.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    sandbox = await startMidaxoSandbox({
      now: () => clock.now(),
      maxPageSize: 25,
      processes: { [PROCESS]: sampleProjects(40) },
    });
    const midaxo = {
      apiUrl: sandbox.apiUrl,
      authUrl: sandbox.authUrl,
      clientId: DEFAULT_SANDBOX_CLIENT.clientId,
      clientSecret: DEFAULT_SANDBOX_CLIENT.clientSecret,
    };
    aws = createBenchAwsClients({
      dynamoDbEndpoint,
      latency: { dynamodbMs: 0, snsMs: 0 },
      secrets: midaxoSecrets(midaxo),
    });
    const tables = createLocalDynamoDbClient(dynamoDbEndpoint);
    const target = async (): Promise<PollerTarget> => ({
      midaxo,
      processId: PROCESS,
      tableName: await createStateTable(tables),
      aws,
      clock,
    });
    real = await createRealPoller(await target());
    naive = createNaivePoller(await target());
    tables.destroy();
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await sandbox?.close();
    aws?.destroy();
  });

  it('records the same silent baseline as the real poller', async () => {
    const realBaseline = await real.run();
    const naiveBaseline = await naive.run();

    expect(naiveBaseline).toMatchObject({
      mode: 'baseline',
      scanned: 40,
      created: 40,
      published: 0,
      complete: true,
    });
    expect(realBaseline).toMatchObject({ mode: 'baseline', scanned: 40, created: 40, published: 0 });
    expect(aws.takeMessages()).toEqual([]);
  });

  it('publishes the very messages the real poller publishes for the same change', async () => {
    editRandomProjects(sandbox, PROCESS, 9, 7);
    sandbox.upsertProject(PROCESS, { id: 'prj-new', name: 'Falcon: Acquisition of Castell Foods' });

    const realRun = await real.run();
    const realMessages = aws.takeMessages();
    aws.tally.reset();
    const naiveRun = await naive.run();
    const naiveMessages = aws.takeMessages();

    expect(realRun).toMatchObject({
      mode: 'incremental',
      scanned: 10,
      created: 1,
      updated: 9,
      published: 10,
    });
    expect(naiveRun).toMatchObject({ scanned: 10, created: 1, updated: 9, published: 10 });
    expect(naiveMessages).toHaveLength(10);
    expect([...naiveMessages].sort()).toEqual([...realMessages].sort());
  });

  it('reads, publishes and writes one project at a time', async () => {
    const requests = aws.tally.counts();

    expect(requests['DynamoDB.GetItem']).toBe(10);
    expect(requests['DynamoDB.PutItem']).toBe(10);
    expect(requests['SNS.Publish']).toBe(10);
    // The watermark: one claim and one release of the process item, as the real poller takes it.
    expect(requests['DynamoDB.UpdateItem']).toBe(2);
    expect(sumOf(requests, 'DynamoDB', ['BatchWriteItem'])).toBe(0);
    expect(requests['SNS.PublishBatch']).toBeUndefined();
  });
});
