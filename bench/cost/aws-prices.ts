/**
 * The AWS list prices the cost table uses: us-east-1, on demand, USD, without the 12-month free tier
 * (the always-free allowances of Scheduler and SNS are counted, being part of every month's price).
 * Each says where it was read and when, so whoever updates one knows where to look again.
 */

export interface Price {
  readonly usd: number;
  /** What one `usd` buys, e.g. "per GB-second". */
  readonly per: string;
  readonly source: string;
}

/** When the prices below were last read. */
export const PRICES_READ_ON = '2026-12-01';

const LAMBDA_PAGE = 'aws.amazon.com/lambda/pricing';
const DYNAMODB_PAGE = 'aws.amazon.com/dynamodb/pricing';
const CLOUDWATCH_PAGE = 'aws.amazon.com/cloudwatch/pricing ⁴';

export const AWS_PRICES = {
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 'GB-second, Arm',
    source: `${LAMBDA_PAGE} ¹`,
  },
  lambdaRequest: { usd: 0.2 / 1e6, per: 'request', source: LAMBDA_PAGE },
  dynamodbWriteUnit: {
    usd: 0.625 / 1e6,
    per: 'write request unit (1 KB)',
    source: `${DYNAMODB_PAGE} ²`,
  },
  dynamodbReadUnit: {
    usd: 0.125 / 1e6,
    per: 'read request unit (4 KB, consistent)',
    source: `${DYNAMODB_PAGE} ²`,
  },
  dynamodbStorageGbMonth: {
    usd: 0.25,
    per: 'GB-month stored (25 GB free: not counted)',
    source: `${DYNAMODB_PAGE} ²`,
  },
  dynamodbPitrGbMonth: { usd: 0.2, per: 'GB-month of PITR backup', source: `${DYNAMODB_PAGE} ²` },
  schedulerInvocation: {
    usd: 1 / 1e6,
    per: 'invocation beyond 14 million a month',
    source: 'AWS Price List, AWSEvents, 2024-10-01 ³',
  },
  snsPublish: {
    usd: 0.5 / 1e6,
    per: 'publish (64 KB) beyond 1 million a month',
    source: 'aws.amazon.com/sns/pricing ⁴',
  },
  kmsKeyMonth: {
    usd: 1,
    per: 'key a month (20,000 requests free)',
    source: 'aws.amazon.com/kms/pricing ⁴',
  },
  secretMonth: {
    usd: 0.4,
    per: 'secret a month',
    source: 'aws.amazon.com/secrets-manager/pricing ⁵',
  },
  secretsApiCall: { usd: 0.05 / 10_000, per: 'API call', source: 'aws.amazon.com/secrets-manager/pricing ⁵' },
  customMetricMonth: { usd: 0.3, per: 'custom metric a month', source: CLOUDWATCH_PAGE },
  alarmMonth: { usd: 0.1, per: 'standard alarm a month', source: CLOUDWATCH_PAGE },
  dashboardMonth: { usd: 3, per: 'dashboard a month', source: CLOUDWATCH_PAGE },
  logsIngestedGb: { usd: 0.5, per: 'GB of logs ingested', source: CLOUDWATCH_PAGE },
  logsStoredGbMonth: { usd: 0.03, per: 'GB-month of logs stored', source: CLOUDWATCH_PAGE },
} as const satisfies Record<string, Price>;

export type AwsPrices = { readonly [K in keyof typeof AWS_PRICES]: Price };

/** Monthly allowances that are part of the price itself (not the 12-month free tier). */
export const ALWAYS_FREE = { schedulerInvocations: 14_000_000, snsPublishes: 1_000_000 } as const;
