import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { toWorkspacesConfigItem } from '../../shared/adapters/dynamodb/workspaces-config-item.js';
import {
  FAKE_CLIENT_SECRET,
  functionDescribed,
  joined,
  logicalIdWhere,
  manyWorkspaces,
  POLLER_DESCRIPTION,
  type SynthesizedStack,
  storedWorkspaceList,
  synthesizeStack,
} from './stack-fixture.js';

const full = synthesizeStack();
const example = synthesizeStack({});
const FIFTY = manyWorkspaces(50);
const fifty = synthesizeStack({ workspaces: FIFTY });

/** Longer than any table name (255) or SNS topic ARN (about 300) a reference can stand for. */
const LONGEST_REFERENCE = 320;

/** The poller's environment as Lambda counts it against its 4 KB: names and values, references at their longest. */
function pollerEnvironmentBytes({ template }: SynthesizedStack): number {
  const { Variables } = functionDescribed(template, POLLER_DESCRIPTION).properties.Environment as {
    Variables: Record<string, unknown>;
  };
  return Object.entries(Variables).reduce(
    (bytes, [name, value]) =>
      bytes +
      Buffer.byteLength(name) +
      (typeof value === 'string' ? Buffer.byteLength(value) : LONGEST_REFERENCE),
    0,
  );
}

function violationsOf({ stack }: SynthesizedStack): string[] {
  return new AwsSolutionsChecks().validateScope(stack).violations.map((v) => `${v.severity} ${v.ruleName}`);
}

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

  it('has the poller write email text into messages only when an email target of each change reads it', () => {
    const emailTextOf = ({ template }: SynthesizedStack) =>
      (
        functionDescribed(template, POLLER_DESCRIPTION).properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables.SNS_EMAIL_TEXT;

    expect(emailTextOf(full)).toBe('true');
    expect(emailTextOf(example)).toBe('false');
  });

  it('synthesizes the example configuration of cdk.json without an account or region', () => {
    expect(example.stack.resolve(example.stack.account)).toEqual({ Ref: 'AWS::AccountId' });
    expect(example.stack.resolve(example.stack.region)).toEqual({ Ref: 'AWS::Region' });
    // The poller, and the function writing its workspace list at deploy.
    example.template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  it('puts no secret value into the template', () => {
    const templateText = JSON.stringify(full.template.toJSON());

    expect(templateText).not.toContain(FAKE_CLIENT_SECRET);
    expect(templateText).not.toMatch(/client_secret"\s*:/);
    expect(templateText).not.toContain('SecretString');
    expect(templateText).not.toContain('GenerateSecretString');
  });

  it('lets the functions that read secrets only GetSecretValue them; only the key generator may look at one, to fill it', () => {
    const statements = Object.values(full.template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
    );
    const secretActions = statements
      .map((statement) => [statement.Action].flat().filter((action) => action.startsWith('secretsmanager:')))
      .filter((actions) => actions.length > 0);

    expect(secretActions).toContainEqual(['secretsmanager:GetSecretValue']);
    // Besides reading, only the webhook key generator's statement: it checks for a key and puts one.
    const generator = ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'];
    for (const actions of secretActions) {
      expect([['secretsmanager:GetSecretValue'], generator]).toContainEqual(actions);
    }
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

  describe('with 50 workspaces, each with its own created secret and 2 or 3 processes', () => {
    /** The logical id of the secret the stack creates for a workspace. */
    const secretOf = (name: string) =>
      logicalIdWhere(fifty.template, 'AWS::SecretsManager::Secret', (p) =>
        String(p.Description).includes(`workspace "${name}"`),
      );

    it('synthesizes and passes the cdk-nag AWS Solutions checks without another acknowledgement', () => {
      expect(violationsOf(fifty)).toEqual([]);
      expect(new Set(acknowledgementsIn(fifty.stack).map(({ id }) => id))).toEqual(
        new Set(acknowledgementsIn(full.stack).map(({ id }) => id)),
      );
    });

    it.each(['poll', 'reconcile'])('starts one %s schedule per workspace, naming it', (mode) => {
      const named = Object.values(fifty.template.findResources('AWS::Scheduler::Schedule'))
        .map((schedule) => JSON.parse((schedule.Properties as { Target: { Input: string } }).Target.Input))
        .filter((payload) => payload.mode === mode)
        .map((payload) => payload.workspaces);

      expect(named.sort()).toEqual(FIFTY.map((workspace) => [workspace.name]));
    });

    it('fits CloudFormation’s limits with room to spare: 186 of 500 resources, 55 of 200 outputs', () => {
      const { Resources, Outputs } = fifty.template.toJSON();

      expect(Object.keys(Resources)).toHaveLength(186);
      expect(Object.keys(Outputs)).toHaveLength(55);
    });

    it('keeps the poller environment as small as with one workspace, well within Lambda’s 4 KB', () => {
      const bytes = pollerEnvironmentBytes(fifty);

      expect(bytes).toBe(pollerEnvironmentBytes(example));
      expect(bytes).toBeLessThan(2048);
    });

    it('stores the list with each created secret’s ARN as a CloudFormation reference, under the version the poller’s environment names', () => {
      const stored = storedWorkspaceList(fifty.template);

      expect(stored.workspaces).toEqual(
        FIFTY.map(({ name, processIds }) => ({ name, secretId: `<Ref:${secretOf(name)}>`, processIds })),
      );
      expect(stored.put.parameters.Item?.version).toEqual({ S: stored.version });
    });

    it('writes, once CloudFormation has filled in the ARNs, exactly the item the poller reads', () => {
      const { logicalId, version } = storedWorkspaceList(fifty.template);
      const arnOf = (ref: string) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${ref}-AbCdEf`;
      const create = fifty.template.findResources('Custom::MidaxoWorkspaceList')[logicalId]?.Properties
        .Create;
      const put = JSON.parse(joined(create, ({ Ref }) => (Ref.startsWith('State') ? 'state' : arnOf(Ref))));

      expect(put.parameters).toEqual({
        TableName: 'state',
        Item: toWorkspacesConfigItem(
          FIFTY.map(({ name, processIds }) => ({ name, secretId: arnOf(secretOf(name)), processIds })),
          version,
        ),
      });
    });
  });

  it('takes up to 153 workspaces with created secrets, and refuses at synth the 154th: 500 resources', () => {
    expect(() => synthesizeStack({ workspaces: manyWorkspaces(153) })).not.toThrow();
    expect(() => synthesizeStack({ workspaces: manyWorkspaces(154) })).toThrow(
      /Number of resources in stack 'MidaxoChangeNotifier': \d+ is greater than allowed maximum of 500/,
    );
  });

  it('takes up to 195 workspaces with existing secrets, and refuses at synth the 196th: 200 outputs', () => {
    expect(() => synthesizeStack({ workspaces: manyWorkspaces(195, 'existing') })).not.toThrow();
    expect(() => synthesizeStack({ workspaces: manyWorkspaces(196, 'existing') })).toThrow(
      /Template has 201 outputs, maximum is 200/,
    );
  });
});
