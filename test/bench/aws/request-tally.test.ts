import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { answerLocally } from '../../../bench/aws/local-answer.js';
import { addModelledLatency } from '../../../bench/aws/modelled-latency.js';
import { createRequestTally, sumOf, totalOf } from '../../../bench/aws/request-tally.js';
import { STAND_IN_CREDENTIALS, STAND_IN_ENDPOINT } from '../../../bench/aws/sns-stand-in.js';

/** A DynamoDB client answered in-process, whose modelled latency waits for `release` at a chosen time. */
function clientOnManualTime() {
  let nowMs = 0;
  const waiting: (() => void)[] = [];
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: STAND_IN_ENDPOINT,
    credentials: STAND_IN_CREDENTIALS,
  });
  answerLocally(client, 'DynamoDB', () => ({}));
  addModelledLatency(client, 8, () => new Promise<void>((resolve) => waiting.push(resolve)));
  const tally = createRequestTally(() => nowMs);
  tally.attach(client, 'DynamoDB');
  const started = () => waiting.length;
  /** Lets the oldest waiting request go on at `atMs`. */
  const release = (atMs: number) => {
    nowMs = atMs;
    waiting.shift()?.();
  };
  return { client, tally, release, started };
}

const getItem = () => new GetItemCommand({ TableName: 'state', Key: { pk: { S: 'a' } } });

describe('request tally', () => {
  it('counts requests per service and operation', async () => {
    const { client, tally, release, started } = clientOnManualTime();
    const sent = [client.send(getItem()), client.send(getItem()), client.send(new ListTablesCommand({}))];
    await expect.poll(started).toBe(3);
    for (const atMs of [1, 2, 3]) release(atMs);
    await Promise.all(sent);

    const counts = tally.counts();
    expect(counts).toEqual({ 'DynamoDB.GetItem': 2, 'DynamoDB.ListTables': 1 });
    expect(sumOf(counts, 'DynamoDB', ['GetItem', 'Query'])).toBe(2);
    expect(totalOf(counts, 'DynamoDB')).toBe(3);
    expect(totalOf(counts, 'SNS')).toBe(0);
  });

  it('times requests with the modelled latency, and counts overlapping requests as busy time once', async () => {
    const { client, tally, release, started } = clientOnManualTime();
    const first = client.send(getItem());
    const second = client.send(getItem());
    await expect.poll(started).toBe(2);

    release(5);
    await first;
    release(12);
    await second;

    expect(tally.timings()).toEqual({ 'DynamoDB.GetItem': { count: 2, meanMs: 8.5 } });
    expect(tally.busyMs('DynamoDB')).toBe(12);
    tally.reset();
    expect(tally.counts()).toEqual({});
    expect(tally.busyMs('DynamoDB')).toBe(0);
  });
});
