/**
 * A Secrets Manager secret the stack only refers to: one the user already has (by name or complete
 * ARN, optionally encrypted with their own KMS key), or an empty one created here for the user to fill
 * in after deploy (`aws secretsmanager put-secret-value`). No secret value ever passes through the stack.
 * Layer: infrastructure.
 */
import { ArnFormat, Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { type CfnSecret, type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { SecretSource } from '../config/notifier-config.js';

export interface ReferencedSecretOptions {
  /** Shown on a created secret: what belongs in it and how to put it there. */
  readonly description: string;
  /**
   * Why a created secret has no rotation Lambda, for the cdk-nag AwsSolutions-SMG4 acknowledgement.
   */
  readonly noRotationReason: string;
  /**
   * What happens to a created secret when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface ReferencedSecret {
  readonly secret: ISecret;
  /** What a function passes to GetSecretValue: the ARN, or the name of a secret referred to by name. */
  readonly secretId: string;
  /** The customer-managed KMS key of an existing secret, when it is not encrypted with aws/secretsmanager. */
  readonly encryptionKeyArn?: string;
  /** True when this stack created the secret, empty: the user (or a deploy-time custom resource) fills it in. */
  readonly created: boolean;
}

/** Creates (in `scope`, with construct id `id`) or imports the secret `source` describes. */
export function referencedSecret(
  scope: Construct,
  id: string,
  source: SecretSource,
  options: ReferencedSecretOptions,
): ReferencedSecret {
  if (source.kind === 'create') return createEmptySecret(scope, id, options);

  const { encryptionKeyArn } = source;
  if (source.nameOrArn.startsWith('arn:')) {
    const secret = Secret.fromSecretCompleteArn(scope, id, source.nameOrArn);
    return { secret, secretId: source.nameOrArn, encryptionKeyArn, created: false };
  }
  const secretPartialArn = Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: source.nameOrArn,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const secret = Secret.fromSecretPartialArn(scope, id, secretPartialArn);
  // The function asks for the secret by name: a partial ARN whose name happens to end like the random
  // suffix ("-abc123") would be misread by Secrets Manager, a name never is.
  return { secret, secretId: source.nameOrArn, encryptionKeyArn, created: false };
}

/**
 * Lets `grantee` read this secret and nothing else: GetSecretValue on it (not DescribeSecret, which
 * `grantRead` adds and no function calls), and for a secret with its own key, kms:Decrypt with that key
 * only when Secrets Manager asks on its behalf.
 */
export function grantReadSecret(reference: ReferencedSecret, grantee: IGrantable): void {
  const { secret } = reference;
  Grant.addToPrincipal({
    grantee,
    actions: ['secretsmanager:GetSecretValue'],
    // A secret known by name only matches its complete ARN with the random suffix Secrets Manager adds.
    resourceArns: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
  });
  if (reference.encryptionKeyArn === undefined) return;
  Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [reference.encryptionKeyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
  });
}

function createEmptySecret(scope: Construct, id: string, options: ReferencedSecretOptions): ReferencedSecret {
  const secret = new Secret(scope, id, {
    description: options.description,
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  // The L2 always asks CloudFormation to generate a random value; without GenerateSecretString
  // (and without SecretString) CloudFormation creates the secret empty, which is what the user fills in.
  (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: options.noRotationReason });
  return { secret, secretId: secret.secretArn, created: true };
}
