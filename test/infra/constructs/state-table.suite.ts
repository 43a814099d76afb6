import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { StateTable } from '../../../infra/constructs/state-table.js';
import { STATE_TABLE_KEYS } from '../../../shared/adapters/dynamodb/state-table.js';
import { synthesizeStack } from '../stack-fixture.js';

const { template } = synthesizeStack();

describe('StateTable', () => {
  it('has the key layout and TTL attribute the DynamoDB state store expects', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: STATE_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: STATE_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: STATE_TABLE_KEYS.partitionKey, AttributeType: 'S' },
        { AttributeName: STATE_TABLE_KEYS.sortKey, AttributeType: 'S' },
      ]),
      TimeToLiveSpecification: { AttributeName: STATE_TABLE_KEYS.timeToLive, Enabled: true },
    });
  });

  it('bills on demand and keeps 35 days of point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
    });
  });

  it('survives a stack deletion or a replacement, so redeploying never resets the watermarks', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });

  it.each([0, 36, 1.5])('refuses a recovery period of %s days', (recoveryPeriodInDays) => {
    const stack = new Stack(new App(), 'Test');

    expect(() => new StateTable(stack, 'State', { recoveryPeriodInDays })).toThrow(
      /recoveryPeriodInDays must be a whole number from 1 to 35/,
    );
  });
});
