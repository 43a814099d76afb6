import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAME } from '../../../shared/observability/metric-names.js';
import { statementsOfRole, synthesizeStack } from '../stack-fixture.js';

const { template } = synthesizeStack();
const functions = Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, resource]) => ({
  id,
  properties: resource.Properties as Record<string, unknown>,
}));

/** AwsCustomResource's own function, which writes the workspace list at deploy: not one of ours. */
const writerIdPrefix = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`;
const notifierFunctions = functions.filter(({ id }) => !id.startsWith(writerIdPrefix));

function refOf(value: unknown): string {
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return reference.Ref ?? reference['Fn::GetAtt']?.[0] ?? '';
}

describe('createNotifierFunction', () => {
  it('gives every function of the stack, poller, Slack forwarders and email digest workers alike, the same runtime, bundle and logging defaults', () => {
    expect(notifierFunctions).toHaveLength(3 + 2);
    for (const { properties } of notifierFunctions) {
      expect(properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--enable-source-maps --max-old-space-size=192',
            POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
            POWERTOOLS_LOG_LEVEL: 'INFO',
          }),
        },
      });
    }
  });

  it('gives each function, the workspace list writer too, its own log group with the configured retention, and its own role', () => {
    expect(functions).toHaveLength(notifierFunctions.length + 1);
    const logGroups = functions.map(({ properties }) =>
      refOf((properties.LoggingConfig as { LogGroup: unknown }).LogGroup),
    );
    const roles = functions.map(({ properties }) => refOf(properties.Role));

    expect(new Set(logGroups).size).toBe(functions.length);
    expect(new Set(roles).size).toBe(functions.length);
    for (const logGroup of logGroups) {
      expect(template.findResources('AWS::Logs::LogGroup')[logGroup]?.Properties).toEqual({
        RetentionInDays: 90,
      });
    }
  });

  it('lets each function, the workspace list writer too, write only to its own log group, with no managed policy and nothing on "*"', () => {
    for (const { properties } of functions) {
      const statements = statementsOfRole(template, properties.Role);
      const logGroup = refOf((properties.LoggingConfig as { LogGroup: unknown }).LogGroup);

      expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('logs:'))).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        },
      ]);
      expect(statements.filter((statement) => JSON.stringify(statement.Resource).includes('"*"'))).toEqual(
        [],
      );
      expect(template.findResources('AWS::IAM::Role')[refOf(properties.Role)]?.Properties).not.toHaveProperty(
        'ManagedPolicyArns',
      );
    }
  });
});
