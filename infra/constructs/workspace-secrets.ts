/**
 * The Secrets Manager secret holding each workspace's Midaxo client credentials: one the user already
 * has, or an empty one created here for the user to fill in after deploy (see referenced-secret.ts).
 * Layer: infrastructure.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { SecretSource } from '../config/notifier-config.js';
import { type ReferencedSecret, referencedSecret } from './referenced-secret.js';

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

export interface WorkspaceSecret extends ReferencedSecret {
  readonly name: string;
  readonly processIds: readonly string[];
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

    this.workspaces = props.workspaces.map((workspace) => ({
      name: workspace.name,
      processIds: [...workspace.processIds],
      ...referencedSecret(this, workspace.name, workspace.secret, {
        description:
          `Midaxo API client credentials of workspace "${workspace.name}" for the change notifier: ` +
          'put {"client_id":"...","client_secret":"..."} here with aws secretsmanager put-secret-value',
        noRotationReason:
          'Holds Midaxo API client credentials, which only Midaxo support can issue: there is no API a ' +
          'rotation Lambda could call to make new ones. They are rotated by requesting new credentials ' +
          'from Midaxo and running put-secret-value (docs/deploy.md).',
        removalPolicy: props.removalPolicy,
      }),
    }));
  }
}
