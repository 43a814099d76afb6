/**
 * The poller's configuration, read once from the environment at init and validated with one schema.
 * A bad value fails the cold start with every problem listed by variable name.
 */
import type { DeletionGuard } from '../core/deletion-guard.js';
import * as z from '../support/schema.js';
import { secureUrl } from '../support/secure-url.js';
import { SNS_TOPIC_ARN } from './aws-arn.js';
import { ConfigError, parseEnvironment } from './config-error.js';
import { jsonSetting } from './json-setting.js';
import {
  DEFAULT_EVENT_RETENTION_DAYS,
  DEFAULT_IGNORED_FIELDS,
  DEFAULT_MAX_DELETIONS,
  DEFAULT_MAX_DELETIONS_PERCENT,
  DEFAULT_OVERLAP_SECONDS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_PROCESS_CONCURRENCY,
} from './poll-defaults.js';
import {
  endpointUrl,
  MIDAXO_INSTANCES,
  type MidaxoInstanceName,
  WORKSPACE_LIST_VERSION,
  type WorkspaceConfig,
  workspaceListJson,
} from './workspace-list.js';

const commaList = z.pipe(
  z.string(),
  z.transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ),
);

/** The variables that list the workspaces in the environment itself. */
const WORKSPACE_LIST_VARIABLES = ['MIDAXO_WORKSPACES', 'MIDAXO_SECRET_ID', 'MIDAXO_PROCESS_IDS'] as const;

const REPLAY_QUEUES_EXPECTATION = 'expected JSON {"<webhook target name>": "<SQS queue URL>", ...}';

const integer = (min: number, max: number, fallback: number) => {
  const expected = `expected a whole number from ${min} to ${max}`;
  return z._default(
    z.coerce
      .number({ error: expected })
      .check(z.refine(Number.isSafeInteger, expected), z.gte(min, expected), z.lte(max, expected)),
    fallback,
  );
};

/** "true" or "false", read as a boolean. */
const flag = (fallback: boolean) =>
  z._default(
    z.pipe(
      z.enum(['true', 'false'], { error: 'expected "true" or "false"' }),
      z.transform((value) => value === 'true'),
    ),
    fallback,
  );

const envSchema = z
  .object({
    MIDAXO_INSTANCE: z.optional(z.enum(MIDAXO_INSTANCES, { error: 'expected "eu" or "us"' })),
    MIDAXO_API_URL: z.optional(endpointUrl),
    MIDAXO_AUTH_URL: z.optional(endpointUrl),
    MIDAXO_AUDIENCE: z.optional(z.string().check(z.minLength(1))),
    MIDAXO_WORKSPACES: z.optional(workspaceListJson),
    MIDAXO_WORKSPACES_VERSION: z.optional(
      z.string().check(z.regex(WORKSPACE_LIST_VERSION, 'expected the 16 hex digits the stack sets')),
    ),
    MIDAXO_SECRET_ID: z.optional(z.string().check(z.minLength(1))),
    MIDAXO_PROCESS_IDS: z.optional(commaList),
    STATE_TABLE_NAME: z.string({ error: 'expected the DynamoDB state table name' }).check(z.minLength(1)),
    TOPIC_ARN: z
      .string({ error: 'expected the SNS topic ARN' })
      .check(z.regex(SNS_TOPIC_ARN, 'expected an SNS topic ARN')),
    PAGE_SIZE: integer(1, 1000, DEFAULT_PAGE_SIZE),
    OVERLAP_SECONDS: integer(0, 86_400, DEFAULT_OVERLAP_SECONDS),
    IGNORED_FIELDS: z._default(commaList, [...DEFAULT_IGNORED_FIELDS]),
    EVENT_RETENTION_DAYS: integer(1, 365, DEFAULT_EVENT_RETENTION_DAYS),
    PROCESS_CONCURRENCY: integer(1, 50, DEFAULT_PROCESS_CONCURRENCY),
    MAX_DELETIONS: integer(0, 1_000_000, DEFAULT_MAX_DELETIONS),
    MAX_DELETIONS_PERCENT: integer(0, 100, DEFAULT_MAX_DELETIONS_PERCENT),
    WEBHOOK_REPLAY_QUEUES: z._default(
      jsonSetting(
        REPLAY_QUEUES_EXPECTATION,
        z.record(z.string(), z.string().check(z.startsWith('https://sqs.', REPLAY_QUEUES_EXPECTATION)), {
          error: REPLAY_QUEUES_EXPECTATION,
        }),
      ),
      {},
    ),
    PUBLISH_BASELINE: flag(false),
    SNS_EMAIL_TEXT: flag(true),
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.MIDAXO_WORKSPACES_VERSION !== undefined) {
        const listed = WORKSPACE_LIST_VARIABLES.filter((name) => env[name] !== undefined);
        if (listed.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['MIDAXO_WORKSPACES_VERSION'],
            message: `the workspaces are read from the state table: unset ${listed.join(', ')}`,
          });
        }
        return;
      }
      if (env.MIDAXO_WORKSPACES !== undefined) {
        const withoutInstance = env.MIDAXO_WORKSPACES.filter((workspace) => workspace.instance === undefined);
        if (env.MIDAXO_INSTANCE === undefined && withoutInstance.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['MIDAXO_INSTANCE'],
            message: `expected "eu" or "us" for the workspaces that name no instance (${withoutInstance.map((w) => w.name).join(', ')})`,
          });
        }
        return;
      }
      if (env.MIDAXO_INSTANCE === undefined) {
        ctx.addIssue({ code: 'custom', path: ['MIDAXO_INSTANCE'], message: 'expected "eu" or "us"' });
      }
      if (env.MIDAXO_SECRET_ID === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['MIDAXO_SECRET_ID'],
          message: 'expected a secret id (or set MIDAXO_WORKSPACES or MIDAXO_WORKSPACES_VERSION)',
        });
      }
      if (!env.MIDAXO_PROCESS_IDS?.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['MIDAXO_PROCESS_IDS'],
          message: 'expected comma-separated process ids',
        });
      }
    }),
  );

/** The deployment's instance is the default of workspaces that name none; the stack may leave it out when all do. */
export interface MidaxoEndpointSettings {
  readonly instance?: MidaxoInstanceName;
  readonly apiUrl?: string;
  readonly authUrl?: string;
  readonly audience?: string;
}

/**
 * Where the workspaces come from: listed in the environment (local and manual runs, tests), or stored in
 * the state table by the stack's deploy, whose version the environment names (Lambda's 4 KB of
 * variables hold only a few dozen workspaces).
 */
export type WorkspacesSource =
  | { readonly kind: 'listed'; readonly workspaces: readonly WorkspaceConfig[] }
  | { readonly kind: 'stored'; readonly version: string };

export interface PollerConfig {
  readonly midaxo: MidaxoEndpointSettings;
  readonly workspaces: WorkspacesSource;
  readonly stateTableName: string;
  readonly topicArn: string;
  readonly pageSize: number;
  readonly overlapSeconds: number;
  readonly ignoredFields: ReadonlySet<string>;
  readonly publishBaseline: boolean;
  /** Write the readable text `email` subscriptions get into each SNS message (off when none reads it). */
  readonly emailText: boolean;
  /** Days recorded events are kept for replay. */
  readonly eventRetentionDays: number;
  /** Processes of one workspace polled at once. */
  readonly processConcurrency: number;
  /** When a sweep holds its deletions for confirmation. */
  readonly deletionGuard: DeletionGuard;
  /** Each webhook target's delivery queue, for a replay to named targets. */
  readonly replayQueues: Readonly<Record<string, string>>;
}

/**
 * Deployed (the Lambda runtime sets AWS_LAMBDA_FUNCTION_NAME), Midaxo is reached over https only: plain
 * http to localhost is for local runs and tests, and on Lambda would send the token unencrypted.
 */
function refuseLoopbackOnLambda(
  env: Record<string, string | undefined>,
  urls: Record<string, string | undefined>,
): void {
  if (env.AWS_LAMBDA_FUNCTION_NAME === undefined) return;
  const refused = Object.entries(urls).filter(
    ([, url]) => url !== undefined && secureUrl(url, { loopback: false }) === undefined,
  );
  if (refused.length === 0) return;
  const lines = refused.map(
    ([name]) => `- ${name}: expected an https:// URL (plain http only in local runs)`,
  );
  throw new ConfigError(`Invalid poller environment:\n${lines.join('\n')}`);
}

export function loadPollerConfig(env: Record<string, string | undefined>): PollerConfig {
  const e = parseEnvironment(envSchema, env, 'poller');
  refuseLoopbackOnLambda(env, { MIDAXO_API_URL: e.MIDAXO_API_URL, MIDAXO_AUTH_URL: e.MIDAXO_AUTH_URL });
  return {
    midaxo: {
      instance: e.MIDAXO_INSTANCE,
      apiUrl: e.MIDAXO_API_URL,
      authUrl: e.MIDAXO_AUTH_URL,
      audience: e.MIDAXO_AUDIENCE,
    },
    workspaces: workspacesSource(e),
    stateTableName: e.STATE_TABLE_NAME,
    topicArn: e.TOPIC_ARN,
    pageSize: e.PAGE_SIZE,
    overlapSeconds: e.OVERLAP_SECONDS,
    ignoredFields: new Set(e.IGNORED_FIELDS),
    publishBaseline: e.PUBLISH_BASELINE,
    emailText: e.SNS_EMAIL_TEXT,
    eventRetentionDays: e.EVENT_RETENTION_DAYS,
    processConcurrency: e.PROCESS_CONCURRENCY,
    deletionGuard: { maxDeletions: e.MAX_DELETIONS, maxDeletionsPercent: e.MAX_DELETIONS_PERCENT },
    replayQueues: e.WEBHOOK_REPLAY_QUEUES,
  };
}

function workspacesSource(e: z.infer<typeof envSchema>): WorkspacesSource {
  if (e.MIDAXO_WORKSPACES_VERSION !== undefined)
    return { kind: 'stored', version: e.MIDAXO_WORKSPACES_VERSION };
  const workspaces = e.MIDAXO_WORKSPACES ?? [
    { name: 'default', secretId: e.MIDAXO_SECRET_ID ?? '', processIds: e.MIDAXO_PROCESS_IDS ?? [] },
  ];
  return { kind: 'listed', workspaces };
}
