/**
 * Writes the poller's workspace list into the state table at deploy, with CloudFormation filling in the
 * ARNs of the secrets the stack creates, so the list is not bounded by Lambda's 4 KB of environment
 * variables: the function's environment names only the list's version.
 *
 * Each version has its own item (`CONFIG`, `WORKSPACES#<version>`), written when the list is created or
 * changed. A new version is a new physical resource, so CloudFormation deletes the superseded item only in
 * the cleanup after the whole update succeeded (or the new one, after a rollback): a container started
 * with either configuration finds its own list. Deleting the stack deletes the item, which describes a
 * function that is then gone; the table itself, with every watermark, is kept.
 * Layer: infrastructure.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  Logging,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CONFIG_PARTITION_KEY, workspacesConfigKey } from '../../shared/adapters/dynamodb/state-table.js';
import { toWorkspacesConfigItem } from '../../shared/adapters/dynamodb/workspaces-config-item.js';
import {
  endpointOverridesOf,
  type WorkspaceEndpointOverrides,
  workspaceListVersion,
} from '../../shared/config/workspace-list.js';
import type { WorkspaceSecret } from './workspace-secrets.js';

/** A workspace, with its own Midaxo instance or URLs when they are not the poller's. */
export type StoredWorkspace = WorkspaceSecret & WorkspaceEndpointOverrides;

export interface StoredWorkspacesProps {
  readonly table: ITable;
  /** Each with its own Midaxo instance or URLs when it names them. */
  readonly workspaces: readonly StoredWorkspace[];
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export class StoredWorkspaces extends Construct {
  /** The version of the list written, for the poller's `MIDAXO_WORKSPACES_VERSION`. */
  public readonly version: string;
  public readonly writer: AwsCustomResource;

  constructor(scope: Construct, id: string, props: StoredWorkspacesProps) {
    super(scope, id);
    const { table, workspaces } = props;
    this.version = workspaceListVersion(workspaces.map(describedAtSynth));
    const item = toWorkspacesConfigItem(workspaces, this.version, (value) =>
      Stack.of(this).toJsonString(value),
    );

    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    // An own role: it writes to this log group only, where the managed AWSLambdaBasicExecutionRole
    // policy the custom resource would otherwise get allows every log group of the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Writes the Midaxo change notifier's workspace list into its state table at deploy",
    });
    logGroup.grantWrite(role);

    this.writer = new AwsCustomResource(this, 'Writer', {
      resourceType: 'Custom::MidaxoWorkspaceList',
      onUpdate: {
        service: 'DynamoDB',
        action: 'PutItem',
        parameters: { TableName: table.tableName, Item: item },
        physicalResourceId: PhysicalResourceId.of(`workspaces-${this.version}`),
        // The request carries secret ARNs and process ids: not secret, but nothing the logs need.
        logging: Logging.withDataHidden(),
      },
      onDelete: {
        service: 'DynamoDB',
        action: 'DeleteItem',
        parameters: { TableName: table.tableName, Key: workspacesConfigKey(this.version) },
        logging: Logging.withDataHidden(),
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
          resources: [table.tableArn],
          // Only the CONFIG partition: never a process's watermark, projects or event log.
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [CONFIG_PARTITION_KEY] } },
        }),
      ]),
      role,
      logGroup,
      // Lambda's own SDK has DynamoDB: nothing is downloaded from npm at deploy.
      installLatestAwsSdk: false,
    });
  }
}

/**
 * What a workspace is at synth: a secret the stack creates has no ARN yet, so its construct path stands
 * for it (the path, unlike the token's text, is the same in every synth).
 */
function describedAtSynth(workspace: StoredWorkspace) {
  const secret = Token.isUnresolved(workspace.secretId)
    ? { createdBy: workspace.secret.node.path }
    : { id: workspace.secretId };
  return {
    name: workspace.name,
    processIds: workspace.processIds,
    secret,
    ...endpointOverridesOf(workspace),
  };
}
