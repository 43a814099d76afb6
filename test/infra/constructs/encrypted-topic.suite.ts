import { App, Stack } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EncryptedTopic } from '../../../infra/constructs/encrypted-topic.js';
import { synthesizeStack } from '../stack-fixture.js';

const { template } = synthesizeStack();

function topicEncryptedBy(keyLogicalId: string) {
  return Object.values(template.findResources('AWS::SNS::Topic')).find(
    (topic) =>
      (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] === keyLogicalId,
  );
}

describe('EncryptedTopic', () => {
  it('encrypts the change topic, the alarm topic and each email digest topic, each with its own rotated customer key', () => {
    const keyIds = new Capture();
    template.resourceCountIs('AWS::SNS::Topic', 2 + 2);
    template.allResourcesProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyIds, 'Arn'] },
    });
    const keys = [keyIds.asString()];
    while (keyIds.next()) keys.push(keyIds.asString());

    expect(new Set(keys).size).toBe(2 + 2);
    for (const keyId of keys) {
      expect(template.findResources('AWS::KMS::Key')[keyId]?.Properties).toMatchObject({
        EnableKeyRotation: true,
      });
    }
  });

  it('signs deliveries with SHA-256 (signature version 2) so webhooks can verify them', () => {
    template.allResourcesProperties('AWS::SNS::Topic', { SignatureVersion: '2' });
  });

  it('refuses any request that is not over TLS', () => {
    template.resourcePropertiesCountIs(
      'AWS::SNS::TopicPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      },
      2 + 2,
    );
  });

  it('lets CloudWatch alarms of this account, and nothing else, publish to the alarm topic', () => {
    const conditions = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':alarm:*'])] }) },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: conditions,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: conditions,
          }),
        ]),
      },
    });
  });

  it('gives no AWS service the change topic key: publishing is granted to the poller alone', () => {
    const changeTopicKeyId = Object.entries(template.findResources('AWS::KMS::Key')).find(([, key]) =>
      String(key.Properties.Description).includes('Midaxo project changes'),
    )?.[0];
    expect(changeTopicKeyId).toBeDefined();
    expect(topicEncryptedBy(changeTopicKeyId ?? '')).toBeDefined();

    const statements = template.findResources('AWS::KMS::Key')[changeTopicKeyId ?? '']?.Properties.KeyPolicy
      .Statement as { Principal: Record<string, unknown> }[];
    expect(statements.filter((statement) => 'Service' in statement.Principal)).toEqual([]);
  });

  it('refuses a publisher that is not an AWS service principal', () => {
    const stack = new Stack(new App(), 'Test');

    expect(
      () =>
        new EncryptedTopic(stack, 'Topic', {
          displayName: 'x',
          servicePublishers: [{ service: 'arn:aws:iam::111122223333:root', sourceArnLike: '*' }],
        }),
    ).toThrow(/is not a service principal/);
  });

  it('refuses an empty display name', () => {
    const stack = new Stack(new App(), 'Test');

    expect(() => new EncryptedTopic(stack, 'Topic', { displayName: '' })).toThrow(
      /displayName must be 1-100/,
    );
  });

  it('leaves no topic of the stack unencrypted', () => {
    expect(
      template.findResources('AWS::SNS::Topic', { Properties: { KmsMasterKeyId: Match.absent() } }),
    ).toEqual({});
  });
});
