/**
 * The AWS side of a bench run: DynamoDB Local for state, stand-ins for SNS and Secrets Manager, each
 * with the modelled in-region latency and a request tally. Created once per poller process, like the
 * clients of a Lambda container.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Sleep } from '../../shared/support/backoff.js';
import { createLocalLambdaDynamoDbClient } from '../../test/support/dynamodb-test-table.js';
import { type CapacityTally, createCapacityTally } from './consumed-capacity.js';
import { addModelledLatency } from './modelled-latency.js';
import { createRequestTally, type RequestTally } from './request-tally.js';
import { createSecretsManagerStandIn } from './secrets-manager-stand-in.js';
import { createSnsStandIn } from './sns-stand-in.js';

export interface AwsLatency {
  readonly dynamodbMs: number;
  readonly snsMs: number;
}

export interface BenchAwsOptions {
  readonly dynamoDbEndpoint: string;
  readonly latency: AwsLatency;
  /** SecretString per secret id. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Keep published message bodies for comparison. @default true */
  readonly keepMessages?: boolean;
  readonly sleep?: Sleep;
}

export interface BenchAwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly secretsManager: SecretsManagerClient;
  readonly tally: RequestTally;
  /** DynamoDB capacity units the requests consumed, as on-demand DynamoDB bills them. */
  readonly capacity: CapacityTally;
  /** Message bodies published since the last call. */
  takeMessages(): string[];
  destroy(): void;
}

export function createBenchAwsClients(options: BenchAwsOptions): BenchAwsClients {
  const tally = createRequestTally();
  const dynamodb = createLocalLambdaDynamoDbClient(options.dynamoDbEndpoint);
  addModelledLatency(dynamodb, options.latency.dynamodbMs, options.sleep);
  tally.attach(dynamodb, 'DynamoDB');
  const capacity = createCapacityTally();
  capacity.attach(dynamodb);

  const sns = createSnsStandIn({ keepMessages: options.keepMessages ?? true });
  addModelledLatency(sns.client, options.latency.snsMs, options.sleep);
  tally.attach(sns.client, 'SNS');

  const secretsManager = createSecretsManagerStandIn(options.secrets);
  tally.attach(secretsManager, 'SecretsManager');

  return {
    dynamodb,
    sns: sns.client,
    secretsManager,
    tally,
    capacity,
    takeMessages: () => sns.takeMessages(),
    destroy() {
      dynamodb.destroy();
      sns.client.destroy();
      secretsManager.destroy();
    },
  };
}
