/**
 * The Secrets Manager secret holding each workspace's Midaxo client credentials: one the user already
 * has (by name or complete ARN), or an empty one created here for the user to fill in after deploy
 * (`aws secretsmanager put-secret-value`). Only references pass through the stack, never a value.
 * Layer: infrastructure.
 */
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type CfnSecret, type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretSource } from '../config/notifier-config.js';

export interface WorkspaceSecretProps {
  readonly workspaces: readonly {
    readonly name: string;
    readonly processIds: readonly string[];
    readonly secret: SecretSource;
  }[];
  /**
   * What happens to created secrets when they leave the stack. Midaxo issues credentials through its
   * support, so losing them is costly: they are kept by default.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface WorkspaceSecret {
  readonly name: string;
  readonly processIds: readonly string[];
  readonly secret: ISecret;
  /** What the poller passes to GetSecretValue: the ARN, or the name of a secret referred to by name. */
  readonly secretId: string;
  /** The customer-managed KMS key of an existing secret, when it is not encrypted with aws/secretsmanager. */
  readonly encryptionKeyArn?: string;
  /** True when this stack created the (empty) secret and the user still has to fill it in. */
  readonly created: boolean;
}

export class WorkspaceSecrets extends Construct {
  public readonly workspaces: readonly WorkspaceSecret[];

  constructor(scope: Construct, id: string, props: WorkspaceSecretProps) {
    super(scope, id);
    if (props.workspaces.length === 0)
      throw new Error('WorkspaceSecrets: at least one workspace is required');
    const names = new Set(props.workspaces.map((workspace) => workspace.name.toLowerCase()));
    if (names.size !== props.workspaces.length) {
      throw new Error('WorkspaceSecrets: workspace names must be unique (ignoring case)');
    }

    this.workspaces = props.workspaces.map((workspace) => {
      const source = workspace.secret;
      const resolved =
        source.kind === 'create'
          ? this.createEmptySecret(workspace.name, props.removalPolicy ?? RemovalPolicy.RETAIN)
          : this.importSecret(workspace.name, source.nameOrArn, source.encryptionKeyArn);
      return { name: workspace.name, processIds: [...workspace.processIds], ...resolved };
    });
  }

  private createEmptySecret(workspace: string, removalPolicy: RemovalPolicy) {
    const secret = new Secret(this, workspace, {
      description:
        `Midaxo API client credentials of workspace "${workspace}" for the change notifier: ` +
        'put {"client_id":"...","client_secret":"..."} here with aws secretsmanager put-secret-value',
      removalPolicy,
    });
    // The L2 always asks CloudFormation to generate a random value; without GenerateSecretString
    // (and without SecretString) CloudFormation creates the secret empty, which is what the user fills in.
    (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds Midaxo API client credentials, which only Midaxo support can issue: there is no API a ' +
        'rotation Lambda could call to make new ones. They are rotated by requesting new credentials ' +
        'from Midaxo and running put-secret-value (docs/deploy.md).',
    });
    return { secret, secretId: secret.secretArn, created: true };
  }

  private importSecret(workspace: string, nameOrArn: string, encryptionKeyArn: string | undefined) {
    if (nameOrArn.startsWith('arn:')) {
      const secret = Secret.fromSecretCompleteArn(this, workspace, nameOrArn);
      return { secret, secretId: nameOrArn, encryptionKeyArn, created: false };
    }
    const secretPartialArn = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: nameOrArn,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const secret = Secret.fromSecretPartialArn(this, workspace, secretPartialArn);
    // The poller asks for the secret by name: a partial ARN whose name happens to end like the random
    // suffix ("-abc123") would be misread by Secrets Manager, a name never is.
    return { secret, secretId: nameOrArn, encryptionKeyArn, created: false };
  }
}
