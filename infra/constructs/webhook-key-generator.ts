/**
 * One function per stack that puts the first `whsec_…` key into each webhook signing secret the stack
 * creates (lambdas/webhook-key-generator), through a custom resource per secret: CloudFormation's own
 * GenerateSecretString cannot write the prefix receivers expect, and a key in the template would be no
 * secret. The function may describe those secrets and put a value into them, never read one.
 * Layer: infrastructure.
 */
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createNotifierFunction, REPO_ROOT } from './notifier-function.js';

const ID = 'WebhookKeyGenerator';
export const WEBHOOK_SIGNING_KEY_TYPE = 'Custom::WebhookSigningKey';

export interface WebhookKeyGeneratorProps {
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export class WebhookKeyGenerator extends Construct {
  /** The stack's one generator, made on first use. */
  static of(scope: Construct, props: WebhookKeyGeneratorProps = {}): WebhookKeyGenerator {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof WebhookKeyGenerator ? existing : new WebhookKeyGenerator(stack, ID, props);
  }

  public readonly function: NodejsFunction;

  private constructor(scope: Construct, id: string, props: WebhookKeyGeneratorProps) {
    super(scope, id);
    this.function = createNotifierFunction(this, {
      description:
        'Puts a first random Standard Webhooks key (whsec_...) into each webhook signing secret the stack created, when it is empty',
      entry: `${REPO_ROOT}lambdas/webhook-key-generator/handler.ts`,
      memorySize: 128,
      timeout: Duration.seconds(30),
      // CloudFormation waits for the answer: a retry after a crash would be answered by nobody sooner.
      retryAttempts: 0,
      logRetention: props.logRetention,
    }).function;
  }

  /** A custom resource (in `scope`, id `id`) that gives `secret` its first key at deploy time. */
  fill(scope: Construct, id: string, secret: ISecret): CustomResource {
    Grant.addToPrincipal({
      grantee: this.function,
      actions: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
      resourceArns: [secret.secretArn],
    });
    return new CustomResource(scope, id, {
      serviceToken: this.function.functionArn,
      resourceType: WEBHOOK_SIGNING_KEY_TYPE,
      properties: { SecretArn: secret.secretArn },
      serviceTimeout: Duration.minutes(2),
    });
  }
}
