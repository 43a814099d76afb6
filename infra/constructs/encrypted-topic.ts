/**
 * An SNS topic encrypted with its own customer-managed KMS key (rotated yearly), reachable over TLS
 * only, signing its deliveries with SHA-256 (signature version 2) so HTTPS subscribers can verify them.
 *
 * Who needs the key: publishers, to encrypt. IAM principals get it from `topic.grantPublish()`;
 * AWS services that publish on their own (CloudWatch alarms, EventBridge rules...) need the key policy
 * statement this construct adds for each `servicePublishers` entry. Subscribers do not: SNS decrypts
 * before it delivers, so an SQS queue, a Lambda function or a webhook never touches this key.
 * Layer: infrastructure.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';

const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;

/** An AWS service allowed to publish to the topic on behalf of resources of this account. */
export interface ServicePublisher {
  /** Service principal, e.g. `cloudwatch.amazonaws.com`. */
  readonly service: string;
  /** `ArnLike` pattern of the resources that may publish, e.g. `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*`. */
  readonly sourceArnLike: string;
}

export interface EncryptedTopicProps {
  /** Shown as the sender of email notifications. */
  readonly displayName: string;
  /**
   * AWS services that publish to this topic themselves.
   * @default - none: only principals granted with `topic.grantPublish()` can publish
   */
  readonly servicePublishers?: readonly ServicePublisher[];
  /**
   * What happens to the key when it leaves the stack. Nothing outlives a delivery encrypted with it,
   * so by default it is scheduled for deletion (after KMS's 30-day waiting period).
   * @default RemovalPolicy.DESTROY
   */
  readonly keyRemovalPolicy?: RemovalPolicy;
}

export class EncryptedTopic extends Construct {
  public readonly topic: Topic;
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    if (props.displayName.length === 0 || props.displayName.length > 100) {
      throw new Error(
        `EncryptedTopic: displayName must be 1-100 characters, got ${props.displayName.length}`,
      );
    }
    for (const publisher of props.servicePublishers ?? []) {
      if (!SERVICE_PRINCIPAL.test(publisher.service)) {
        throw new Error(
          `EncryptedTopic: "${publisher.service}" is not a service principal (<name>.amazonaws.com)`,
        );
      }
    }

    this.key = new Key(this, 'Key', {
      description: `Encrypts the messages of the SNS topic "${props.displayName}"`,
      enableKeyRotation: true,
      removalPolicy: props.keyRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
      signatureVersion: '2',
    });

    for (const publisher of props.servicePublishers ?? []) this.allowServiceToPublish(publisher);
  }

  private allowServiceToPublish(publisher: ServicePublisher): void {
    const principal = new ServicePrincipal(publisher.service);
    // Both conditions keep the service from acting for another account (the confused-deputy problem).
    const conditions = {
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      ArnLike: { 'aws:SourceArn': publisher.sourceArnLike },
    };
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [principal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions,
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [principal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      }),
    );
  }
}

/**
 * Acknowledges, on the role of a function granted `topic.grantPublish()` on an EncryptedTopic, the
 * one wildcard that grant adds.
 */
export function acknowledgePublishKeyWildcard(role: IConstruct): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    reason:
      "Added by topic.grantPublish for the topic's own customer-managed key (the statement's only " +
      'resource is that key): SNS generates a data key per published message. The wildcard only spans ' +
      'GenerateDataKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext and ' +
      'GenerateDataKeyWithoutPlaintext.',
  });
}
