import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FAKE_CLIENT_SECRET, synthesizeStack } from './stack-fixture.js';

const full = synthesizeStack();
const example = synthesizeStack({});

/** Every cdk-nag acknowledgement in the tree: rule id, reason and where it applies. */
function acknowledgementsIn(root: IConstruct): { id: string; reason: string; path: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

describe('MidaxoChangeNotifierStack', () => {
  it('outputs the topic ARN, table name, dashboard URL, poller name and the secret ARN of every workspace and Slack target', () => {
    const outputs = full.template.findOutputs('*');

    expect(Object.keys(outputs).sort()).toEqual([
      'AlarmTopicArn',
      'DashboardUrl',
      'PollerFunctionName',
      'SecretArnAcme',
      'SecretArnBeta',
      'SecretArnGamma',
      'SlackForwarderNameDeals',
      'SlackForwarderNameOpsTeam',
      'SlackSecretArnDeals',
      'SlackSecretArnOpsTeam',
      'StateTableName',
      'TopicArn',
    ]);
    full.template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('#dashboards/dashboard/')])] },
    });
    full.template.hasOutput('SecretArnAcme', {
      Description: Match.stringLikeRegexp('put \\{"client_id","client_secret"\\}'),
    });
  });

  it('synthesizes the example configuration of cdk.json without an account or region', () => {
    expect(example.stack.resolve(example.stack.account)).toEqual({ Ref: 'AWS::AccountId' });
    expect(example.stack.resolve(example.stack.region)).toEqual({ Ref: 'AWS::Region' });
    example.template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it('puts no secret value into the template', () => {
    const templateText = JSON.stringify(full.template.toJSON());

    expect(templateText).not.toContain(FAKE_CLIENT_SECRET);
    expect(templateText).not.toMatch(/client_secret"\s*:/);
    expect(templateText).not.toContain('SecretString');
    expect(templateText).not.toContain('GenerateSecretString');
  });

  it.each([
    ['the full configuration', full],
    ['the example configuration', example],
  ])(
    'passes the cdk-nag AWS Solutions checks with %s: no unacknowledged error or warning',
    (_, { stack }) => {
      const report = new AwsSolutionsChecks().validateScope(stack);

      expect(report.violations.map((violation) => `${violation.severity} ${violation.ruleName}`)).toEqual([]);
      expect(report.success).toBe(true);
    },
  );

  it('acknowledges only the reviewed cdk-nag findings, each with its reason', () => {
    const acknowledgements = acknowledgementsIn(full.stack);

    expect([...new Set(acknowledgements.map(({ id }) => id))].sort()).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
    for (const { reason } of acknowledgements) expect(reason.length).toBeGreaterThan(120);
  });

  it('acknowledges findings on the resources they concern, never for the whole stack', () => {
    const paths = acknowledgementsIn(full.stack).map(({ path }) => path);

    expect(paths).not.toContain(full.stack.node.path);
    expect(paths.every((path) => path.startsWith(`${full.stack.node.path}/`))).toBe(true);
  });

  it('uses no deprecated or discouraged CDK API (no synth warnings or errors)', () => {
    const annotations = Annotations.fromStack(full.stack);

    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });
});
