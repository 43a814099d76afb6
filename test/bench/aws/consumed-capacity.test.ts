import {
  BatchWriteItemCommand,
  DynamoDBClient,
  ListTablesCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createCapacityTally } from '../../../bench/aws/consumed-capacity.js';
import { answerLocally } from '../../../bench/aws/local-answer.js';
import { STAND_IN_CREDENTIALS, STAND_IN_ENDPOINT } from '../../../bench/aws/sns-stand-in.js';

/** A DynamoDB client answered in-process with the units DynamoDB would report, remembering what it was asked. */
function clientReportingCapacity() {
  const asked: Record<string, unknown>[] = [];
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: STAND_IN_ENDPOINT,
    credentials: STAND_IN_CREDENTIALS,
  });
  answerLocally(client, 'DynamoDB', (operation, input) => {
    asked.push({ operation, ...input });
    if (input.ReturnConsumedCapacity !== 'TOTAL') return {};
    if (operation === 'BatchWriteItem')
      return { ConsumedCapacity: [{ TableName: 'state', CapacityUnits: 9 }] };
    if (operation === 'Query') return { ConsumedCapacity: { TableName: 'state', CapacityUnits: 2.5 } };
    return { ConsumedCapacity: { TableName: 'state', CapacityUnits: 1 } };
  });
  const tally = createCapacityTally();
  tally.attach(client);
  return { client, tally, asked };
}

const key = { pk: { S: 'PROCESS#p' }, sk: { S: 'PROCESS' } };

describe('consumed capacity tally', () => {
  it('asks every data request for its consumed capacity and adds up write and read units', async () => {
    const { client, tally, asked } = clientReportingCapacity();
    await client.send(
      new UpdateItemCommand({ TableName: 'state', Key: key, UpdateExpression: 'SET a = :a' }),
    );
    await client.send(new BatchWriteItemCommand({ RequestItems: { state: [] } }));
    await client.send(new QueryCommand({ TableName: 'state', KeyConditionExpression: 'pk = :p' }));

    expect(tally.units()).toEqual({ read: 2.5, write: 10 });
    expect(asked.map((request) => request.ReturnConsumedCapacity)).toEqual(['TOTAL', 'TOTAL', 'TOTAL']);
  });

  it('leaves requests without capacity alone, and starts again from zero after a reset', async () => {
    const { client, tally, asked } = clientReportingCapacity();
    await client.send(new ListTablesCommand({}));
    await client.send(
      new UpdateItemCommand({ TableName: 'state', Key: key, UpdateExpression: 'SET a = :a' }),
    );
    tally.reset();

    expect(asked[0]).not.toHaveProperty('ReturnConsumedCapacity');
    expect(tally.units()).toEqual({ read: 0, write: 0 });
  });
});
