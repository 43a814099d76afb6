/**
 * The reference consumer as a stack of its own, subscribed to the change topic of a deployed notifier
 * (the notifier stack's `TopicArn` output, passed as `-c changeTopicArn=...`). It deploys into the
 * topic's account and region, read from the ARN: SNS delivers to SQS queues in its own region only
 * without extra setup.
 */
import { type App, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { SNS_TOPIC_ARN } from '../../shared/config/aws-arn.js';
import { ConfigError } from '../../shared/config/config-error.js';
import { ChangeConsumer, type ChangeConsumerProps } from './change-consumer-construct.js';

export const CHANGE_TOPIC_ARN_CONTEXT = 'changeTopicArn';

const topicArnSchema = z
  .string({ error: `pass the notifier stack's TopicArn output with -c ${CHANGE_TOPIC_ARN_CONTEXT}=<ARN>` })
  .regex(
    SNS_TOPIC_ARN,
    `${CHANGE_TOPIC_ARN_CONTEXT} must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), ` +
      "the notifier stack's TopicArn output",
  );

/** The change topic's ARN from the app's context, validated. */
export function changeTopicArnOf(app: App): string {
  const parsed = topicArnSchema.safeParse(app.node.tryGetContext(CHANGE_TOPIC_ARN_CONTEXT));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

export interface ChangeConsumerStackProps extends StackProps {
  readonly changeTopicArn: string;
  /** @default - the construct's defaults */
  readonly consumer?: Omit<ChangeConsumerProps, 'topic'>;
}

export class ChangeConsumerStack extends Stack {
  public readonly consumer: ChangeConsumer;

  constructor(scope: Construct, id: string, props: ChangeConsumerStackProps) {
    const [, , , region, account] = props.changeTopicArn.split(':');
    super(scope, id, { ...props, env: props.env ?? { account, region } });
    this.consumer = new ChangeConsumer(this, 'Consumer', {
      ...props.consumer,
      topic: Topic.fromTopicArn(this, 'ChangeTopic', props.changeTopicArn),
    });

    new CfnOutput(this, 'ProjectsTableName', {
      description: "Each project's newest applied sequence and view",
      value: this.consumer.projectsTable.tableName,
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Events the consumer could not apply, and deliveries SNS could not make',
      value: this.consumer.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'ConsumerFunctionName', {
      description: 'The consumer Lambda; its logs name each event and its outcome',
      value: this.consumer.function.functionName,
    });
  }
}
