import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { answerLocally } from '../../../bench/aws/local-answer.js';
import { addModelledLatency } from '../../../bench/aws/modelled-latency.js';
import { STAND_IN_CREDENTIALS, STAND_IN_ENDPOINT } from '../../../bench/aws/sns-stand-in.js';

function offlineDynamoDb(order: string[]): DynamoDBClient {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: STAND_IN_ENDPOINT,
    credentials: STAND_IN_CREDENTIALS,
  });
  answerLocally(client, 'DynamoDB', (operation) => {
    order.push(operation);
    return {};
  });
  return client;
}

describe('modelled AWS latency', () => {
  it('waits the modelled latency once before every request reaches the service', async () => {
    const order: string[] = [];
    const client = offlineDynamoDb(order);
    addModelledLatency(client, 8, async (ms) => {
      order.push(`sleep ${ms}`);
    });

    await client.send(new GetItemCommand({ TableName: 'state', Key: { pk: { S: 'a' } } }));
    await client.send(new GetItemCommand({ TableName: 'state', Key: { pk: { S: 'b' } } }));
    await client.send(new ListTablesCommand({}));

    expect(order).toEqual(['sleep 8', 'GetItem', 'sleep 8', 'GetItem', 'sleep 8', 'ListTables']);
  });

  it('adds nothing when the latency is zero, but still lets every request through', async () => {
    const order: string[] = [];
    const client = offlineDynamoDb(order);
    const sleeps: number[] = [];
    addModelledLatency(client, 0, async (ms) => {
      sleeps.push(ms);
    });

    await client.send(new ListTablesCommand({}));

    expect(order).toEqual(['ListTables']);
    expect(sleeps).toEqual([0]);
  });

  it('refuses a negative latency', () => {
    expect(() => addModelledLatency(offlineDynamoDb([]), -1)).toThrow(/zero or more milliseconds, got -1/);
  });
});
