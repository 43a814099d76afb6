/**
 * The deployment's configuration: one schema for every key the stack reads from CDK context
 * (`cdk.json` "context", overridable with `cdk synth -c key=value`, where the value may be JSON text).
 * Every message names what is allowed and never echoes the value it got: a misplaced credential must
 * not end up in a terminal or a CI log.
 * Layer: infrastructure.
 */
import { z } from 'zod';
import { COMPLETE_SECRET_ARN } from '../../shared/config/aws-arn.js';
import {
  DEFAULT_EVENT_RETENTION_DAYS,
  DEFAULT_IGNORED_FIELDS,
  DEFAULT_MAX_DELETIONS,
  DEFAULT_MAX_DELETIONS_PERCENT,
  DEFAULT_OVERLAP_SECONDS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_PROCESS_CONCURRENCY,
} from '../../shared/config/poll-defaults.js';
import { MIDAXO_INSTANCES, WORKSPACE_NAME } from '../../shared/config/workspace-list.js';
import { EVENT_TYPES } from '../../shared/core/change-event.js';
import { FilterPolicyError, snsFilterPolicy } from '../../shared/notifications/filter-policy.js';
import { notOnFetchBlockedPort } from '../../shared/support/fetch-bad-ports.js';
import { hasUserInfo, hostOf } from '../../shared/support/secure-url.js';

/** Slack target names become construct ids and stack output names. */
const SLACK_TARGET_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Incoming webhooks live here; their URL is a credential that belongs in Secrets Manager. */
const SLACK_WEBHOOK_HOST = 'hooks.slack.com';
/** Process ids go into a URL path and a comma-separated list; the API documents no stricter format. */
const PROCESS_ID = /^[^\s,/?#%]{1,128}$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SQS_QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;
/** An unqualified, version or alias ARN; a version is digits or $LATEST, an alias letters, digits, "-" and "_". */
const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const FIELD_NAME = /^[^,]{1,256}$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+( \S+){5}\)$/;
/** Key names that mean someone is about to put a credential into context, which must never happen. */
const CREDENTIAL_LIKE = /secret|password|token|client_?id|credential|webhook_?url/i;

/** Log retention periods CloudWatch Logs accepts (never-expire left out on purpose). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * `-c key=value` hands every value over as text: structured keys accept JSON text too. Text that is
 * not JSON is passed on as is, so the schema reports what it expected.
 */
function fromContext<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? parseJsonOrKeep(value) : value), schema);
}

function parseJsonOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * An object with a fixed set of keys; an unknown key is named, and a credential-like one is called out.
 * `credentialKeys` adds key names that hold a credential in this object only (a Slack target's `url`).
 */
function closedObject<T extends z.core.$ZodLooseShape>(shape: T, what: string, credentialKeys?: RegExp) {
  const allowed = Object.keys(shape).join(', ');
  const isCredential = (key: string) => CREDENTIAL_LIKE.test(key) || (credentialKeys?.test(key) ?? false);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const credentialKeys = issue.keys.filter(isCredential);
        if (credentialKeys.length > 0) {
          return (
            `key ${quoted(credentialKeys)} looks like a credential: never put credentials in CDK context; ` +
            'store them in Secrets Manager and refer to the secret (see docs/deploy.md)'
          );
        }
        return `unknown key ${quoted(issue.keys)}; allowed keys: ${allowed}`;
      }
      if (issue.code === 'invalid_type') return `must be ${what}`;
      return undefined;
    },
  });
}

function quoted(keys: readonly string[]): string {
  return keys.map((key) => `"${key}"`).join(', ');
}

function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.int({ error: message }).min(min, message).max(max, message);
}

const processIdSchema = z
  .string({ error: 'must be a Midaxo process id (text)' })
  .regex(
    PROCESS_ID,
    'must be a Midaxo process id: 1-128 characters, no spaces, commas, "/", "?", "#" or "%"',
  );

const fieldNameSchema = z
  .string({ error: 'must be a top-level project field name (text)' })
  .regex(FIELD_NAME, 'must be a field name of 1-256 characters without commas');

/**
 * A refinement of a URL. zod runs refinements even after the URL check failed, and `new URL` throws on
 * what is not a URL: text that is no URL passes here and is reported once, by the URL check.
 */
function ifUrl(check: (url: URL) => boolean): (value: string) => boolean {
  return (value) => !URL.canParse(value) || check(new URL(value));
}

const httpsUrl = (what: string, credentialsHint = '') =>
  z
    .url({ error: `must be an https:// URL of ${what}` })
    .refine(
      ifUrl((url) => url.protocol === 'https:'),
      {
        error: `must be an https:// URL of ${what}`,
      },
    )
    .refine(
      ifUrl((url) => !hasUserInfo(url)),
      {
        error: `must not carry credentials (user:password@): they would be stored in the template${credentialsHint}`,
      },
    )
    .refine(...notOnFetchBlockedPort);

const secretSchema = closedObject(
  {
    existing: z.string({ error: 'must be the name or complete ARN of a Secrets Manager secret' }).optional(),
    create: z
      .literal(true, { error: 'must be true (or leave it out and name an existing secret)' })
      .optional(),
    encryptionKeyArn: z
      .string({ error: 'must be a KMS key ARN' })
      .regex(KMS_KEY_ARN, 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)')
      .optional(),
  },
  'an object: {"existing": "<secret name or ARN>"} or {"create": true}',
)
  .superRefine((secret, ctx) => {
    if ((secret.existing === undefined) === (secret.create === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of "existing" (name or ARN of your secret) or "create": true',
      });
      return;
    }
    if (secret.create && secret.encryptionKeyArn !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['encryptionKeyArn'],
        message:
          'only applies to an existing secret; a created secret uses the account key aws/secretsmanager',
      });
    }
    const existing = secret.existing;
    if (existing === undefined) return;
    if (existing.startsWith('arn:') ? !COMPLETE_SECRET_ARN.test(existing) : !SECRET_NAME.test(existing)) {
      ctx.addIssue({
        code: 'custom',
        path: ['existing'],
        message:
          'must be a secret name (letters, digits and /_+=.@-) or its complete ARN, ending in the ' +
          '6-character suffix that `aws secretsmanager describe-secret` shows',
      });
    }
  })
  .transform(
    (secret): SecretSource =>
      secret.existing === undefined
        ? { kind: 'create' }
        : { kind: 'existing', nameOrArn: secret.existing, encryptionKeyArn: secret.encryptionKeyArn },
  );

export type SecretSource =
  | { readonly kind: 'create' }
  | { readonly kind: 'existing'; readonly nameOrArn: string; readonly encryptionKeyArn?: string };

const instanceSchema = z.enum(MIDAXO_INSTANCES, {
  error: 'must be "eu" or "us": the Midaxo Cloud instance of your workspaces',
});

const workspaceSchema = closedObject(
  {
    name: z
      .string({ error: 'must be a workspace name' })
      .regex(WORKSPACE_NAME, 'must be 1-64 letters, digits, "-" or "_"'),
    processIds: z
      .array(processIdSchema, { error: 'must be a list of Midaxo process ids' })
      .min(1, 'must list at least one Midaxo process id'),
    secret: secretSchema,
    instance: instanceSchema.optional(),
    apiUrl: httpsUrl("this workspace's Midaxo API (leave it out to use its instance's)").optional(),
    authUrl: httpsUrl(
      "this workspace's Midaxo token endpoint (leave it out to use its instance's)",
    ).optional(),
  },
  'an object: {"name", "processIds": [...], "secret": {...}} with optional "instance", "apiUrl", "authUrl"',
);

const filterSchema = closedObject(
  {
    eventTypes: z
      .array(
        z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.map((t) => `"${t}"`).join(', ')}` }),
        {
          error: 'must be a list of event types',
        },
      )
      .min(1, 'must list at least one event type')
      .optional(),
    processIds: z
      .array(processIdSchema, { error: 'must be a list of process ids' })
      .min(1, 'must list at least one process id')
      .optional(),
    changedFields: z
      .array(fieldNameSchema, { error: 'must be a list of top-level field names' })
      .min(1, 'must list at least one field name')
      .optional(),
  },
  'an object with any of "eventTypes", "processIds", "changedFields"',
).refine((filter) => Object.keys(filter).length > 0, {
  error: 'must set at least one of "eventTypes", "processIds", "changedFields" (or leave "filter" out)',
});

/**
 * How an email target gets its events. A person reads a digest: a burst of a thousand changes is one
 * email, not a thousand, so it is the default; `each` is the email per event SNS sends directly.
 */
const EMAIL_DELIVERIES = ['digest', 'each'] as const;
type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];
const DEFAULT_EMAIL_DELIVERY: EmailDelivery = 'digest';
/**
 * A digest gathers the events of this many minutes. Lambda gathers a batch from a queue for at most
 * 5 minutes (an event source mapping's longest batching window), which bounds the interval.
 */
export const MAX_DIGEST_MINUTES = 5;
export const DEFAULT_DIGEST_MINUTES = 5;
const DIGEST_MINUTES_RANGE =
  `must be a whole number of minutes from 1 to ${MAX_DIGEST_MINUTES}: ` +
  'Lambda gathers a batch from a queue for at most 5 minutes';

const emailTarget = closedObject(
  {
    type: z.literal('email'),
    address: z.email({ error: 'must be an email address' }),
    filter: filterSchema.optional(),
    delivery: z
      .enum(EMAIL_DELIVERIES, {
        error: 'must be "digest" (one email per few minutes, the default) or "each" (one email per change)',
      })
      .optional(),
    digestMinutes: fromContext(
      z
        .int({ error: DIGEST_MINUTES_RANGE })
        .min(1, DIGEST_MINUTES_RANGE)
        .max(MAX_DIGEST_MINUTES, DIGEST_MINUTES_RANGE),
    ).optional(),
  },
  'an object: {"type": "email", "address"} with optional "delivery" ("digest" or "each") and "digestMinutes"',
)
  .superRefine((target, ctx) => {
    if (target.delivery === 'each' && target.digestMinutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['digestMinutes'],
        message: 'only applies to "delivery": "digest"; leave it out, or choose "digest"',
      });
    }
  })
  .transform((target) => {
    const { delivery = DEFAULT_EMAIL_DELIVERY, digestMinutes, ...rest } = target;
    return delivery === 'each'
      ? { ...rest, delivery }
      : { ...rest, delivery, digestMinutes: digestMinutes ?? DEFAULT_DIGEST_MINUTES };
  });

const httpsTarget = closedObject(
  {
    type: z.literal('https'),
    url: httpsUrl(
      'your webhook',
      '; subscribe such an endpoint after deploy instead (see docs/deploy.md)',
    ).refine(
      ifUrl((url) => hostOf(url) !== SLACK_WEBHOOK_HOST),
      {
        error:
          'is a Slack incoming webhook, whose URL is a credential: add a "slack" target instead and put ' +
          'the URL into its secret (see docs/deploy.md)',
      },
    ),
    filter: filterSchema.optional(),
  },
  'an object: {"type": "https", "url"}',
);

const sqsTarget = closedObject(
  {
    type: z.literal('sqs'),
    queueArn: z
      .string({ error: 'must be an SQS queue ARN' })
      .regex(
        SQS_QUEUE_ARN,
        'must be the ARN of a standard SQS queue (arn:aws:sqs:<region>:<account>:<name>); ' +
          'FIFO queues cannot subscribe to a standard topic',
      ),
    filter: filterSchema.optional(),
  },
  'an object: {"type": "sqs", "queueArn"}',
);

/**
 * An existing function, invoked by SNS with the topic's event record. The stack adds the permission
 * that lets the change topic invoke it, which only the function's own account can do.
 */
const lambdaTarget = closedObject(
  {
    type: z.literal('lambda'),
    functionArn: z
      .string({ error: 'must be a Lambda function ARN' })
      .regex(
        LAMBDA_FUNCTION_ARN,
        'must be the ARN of a Lambda function, optionally with a version or alias ' +
          '(arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>])',
      ),
    filter: filterSchema.optional(),
  },
  'an object: {"type": "lambda", "functionArn"}',
);

/** Posts to a Slack incoming webhook through a forwarder Lambda; the webhook URL lives in `secret` only. */
const slackTarget = closedObject(
  {
    type: z.literal('slack'),
    name: z
      .string({ error: 'must be a name for this Slack target' })
      .regex(SLACK_TARGET_NAME, 'must be 1-64 letters, digits, "-" or "_"'),
    secret: secretSchema,
    filter: filterSchema.optional(),
  },
  'an object: {"type": "slack", "name", "secret": {"existing": "<secret name or ARN>"} or {"create": true}}',
  /^url$/i,
);

/** Sends per second a webhook endpoint gets when its target names none. */
const DEFAULT_WEBHOOK_MAX_PER_SECOND = 10;

/**
 * A receiver of signed Standard Webhooks deliveries (docs/webhooks.md), through its own queue and worker;
 * the signing key lives in `secret` (created with a random key, or an existing one).
 */
const webhookTarget = closedObject(
  {
    type: z.literal('webhook'),
    name: z
      .string({ error: 'must be a name for this webhook target' })
      .regex(SLACK_TARGET_NAME, 'must be 1-64 letters, digits, "-" or "_"'),
    url: httpsUrl('your webhook receiver'),
    secret: secretSchema,
    filter: filterSchema.optional(),
    maxPerSecond: fromContext(wholeNumber(1, 1000).default(DEFAULT_WEBHOOK_MAX_PER_SECOND)),
  },
  'an object: {"type": "webhook", "name", "url", "secret": {"create": true} or {"existing": "<secret name or ARN>"}}',
);

/** One entry per subscriber. */
const notificationTargetSchema = z.discriminatedUnion(
  'type',
  [emailTarget, httpsTarget, sqsTarget, lambdaTarget, slackTarget, webhookTarget],
  { error: 'must be an object whose "type" is "email", "https", "sqs", "lambda", "slack" or "webhook"' },
);

export type NotificationTarget = z.output<typeof notificationTargetSchema>;

const scheduleSchema = z
  .string({ error: 'must be a schedule expression' })
  .superRefine((value, ctx) => {
    if (!RATE.test(value) && !CRON.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be "rate(<n> minutes|hours|days)" or "cron(<min> <hour> <day> <month> <weekday> <year>)" ' +
          'as EventBridge Scheduler accepts them, e.g. "cron(0 3 * * ? *)"',
      });
    }
  })
  .transform((value): ScheduleSpec => {
    const rate = RATE.exec(value);
    if (rate === null) return { kind: 'cron', expression: value };
    const amount = Number(rate[1]);
    const unit = rate[2] ?? 'minutes';
    const minutesPerUnit = unit.startsWith('day') ? 1440 : unit.startsWith('hour') ? 60 : 1;
    return { kind: 'rate', minutes: amount * minutesPerUnit };
  });

export type ScheduleSpec =
  | { readonly kind: 'rate'; readonly minutes: number }
  | { readonly kind: 'cron'; readonly expression: string };

export const notifierConfigSchema = z
  .object({
    instance: instanceSchema.optional(),
    apiUrl: httpsUrl('the Midaxo API (leave it out to use the instance default)').optional(),
    authUrl: httpsUrl('the Midaxo token endpoint (leave it out to use the instance default)').optional(),
    audience: z.string({ error: 'must be text' }).min(1, 'must not be empty').optional(),
    workspaces: fromContext(
      z
        .array(workspaceSchema, {
          error: 'must be a list of workspaces: [{"name", "processIds": [...], "secret": {...}}]',
        })
        .min(1, 'must list at least one workspace'),
    ),
    pollIntervalMinutes: fromContext(wholeNumber(1, 60).default(5)),
    processConcurrency: fromContext(wholeNumber(1, 50).default(DEFAULT_PROCESS_CONCURRENCY)),
    reconcileSchedule: scheduleSchema.prefault('cron(0 3 * * ? *)'),
    ignoredFields: fromContext(
      z
        .array(fieldNameSchema, { error: 'must be a list of top-level field names' })
        .default([...DEFAULT_IGNORED_FIELDS]),
    ),
    publishBaseline: fromContext(z.boolean({ error: 'must be true or false' }).default(false)),
    pageSize: fromContext(wholeNumber(1, 1000).default(DEFAULT_PAGE_SIZE)),
    overlapSeconds: fromContext(wholeNumber(0, 86_400).default(DEFAULT_OVERLAP_SECONDS)),
    // A sweep holds its deletions when they are more than maxDeletions and more than maxDeletionsPercent
    // of the process's known projects (shared/core/deletion-guard.ts).
    maxDeletions: fromContext(wholeNumber(0, 1_000_000).default(DEFAULT_MAX_DELETIONS)),
    maxDeletionsPercent: fromContext(wholeNumber(0, 100).default(DEFAULT_MAX_DELETIONS_PERCENT)),
    eventRetentionDays: fromContext(wholeNumber(1, 365).default(DEFAULT_EVENT_RETENTION_DAYS)),
    logLevel: z
      .enum(['DEBUG', 'INFO', 'WARN', 'ERROR'], { error: 'must be "DEBUG", "INFO", "WARN" or "ERROR"' })
      .default('INFO'),
    logRetentionDays: fromContext(
      z
        .number({ error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}` })
        .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
          error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
        })
        .default(30),
    ),
    notifications: fromContext(
      z.array(notificationTargetSchema, { error: 'must be a list of notification targets' }).default([]),
    ),
    // Left out: the text is written when an email target has "delivery": "each" (topicEmailTextOf).
    topicEmailText: fromContext(z.boolean({ error: 'must be true or false' }).optional()),
    alarmEmail: z.email({ error: 'must be an email address' }).optional(),
    missedRunsBeforeAlarm: fromContext(wholeNumber(1, 288).default(3)),
    watermarkLagAlarmMinutes: fromContext(wholeNumber(2, 10_080).default(60)),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    const processIds = new Set<string>();
    config.workspaces.forEach((workspace, index) => {
      if (workspace.instance === undefined && config.instance === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['workspaces', index, 'instance'],
          message:
            'must be "eu" or "us": set "instance" on this workspace, or a top-level "instance" for the ' +
            'workspaces that name none',
        });
      }
      // Names become stack output names, which keep neither case nor "-" and "_".
      const name = workspace.name.toLowerCase().replace(/[-_]/g, '');
      if (names.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workspaces', index, 'name'],
          message: 'must be unique, ignoring case, "-" and "_"',
        });
      }
      names.add(name);
      for (const processId of workspace.processIds) {
        if (processIds.has(processId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['workspaces', index, 'processIds'],
            message: `process "${processId}" is listed twice: each process is watched by one workspace`,
          });
        }
        processIds.add(processId);
      }
    });
    const endpoints = new Set<string>();
    config.notifications.forEach((target, index) => {
      const endpoint = targetKey(target);
      if (endpoints.has(endpoint)) {
        ctx.addIssue(
          target.type === 'slack' || target.type === 'webhook'
            ? {
                code: 'custom',
                path: ['notifications', index, 'name'],
                message: `must be unique among ${target.type === 'slack' ? 'Slack' : 'webhook'} targets, ignoring case, "-" and "_"`,
              }
            : {
                code: 'custom',
                path: ['notifications', index],
                message: 'subscribes the same endpoint twice',
              },
        );
      }
      endpoints.add(endpoint);
      const filterProblem = filterPolicyProblem(target);
      if (filterProblem !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['notifications', index, 'filter'], message: filterProblem });
      }
      for (const processId of target.filter?.processIds ?? []) {
        if (!processIds.has(processId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['notifications', index, 'filter', 'processIds'],
            message: `process "${processId}" is not watched by any workspace`,
          });
        }
      }
    });
    if (config.topicEmailText === false && hasEachEmailTarget(config.notifications)) {
      ctx.addIssue({
        code: 'custom',
        path: ['topicEmailText'],
        message: 'must not be false while an email target has "delivery": "each": its emails are that text',
      });
    }
    // CloudWatch evaluates at most one day of data points for a sub-hour period.
    if (config.pollIntervalMinutes * config.missedRunsBeforeAlarm > 1440) {
      ctx.addIssue({
        code: 'custom',
        path: ['missedRunsBeforeAlarm'],
        message: 'times pollIntervalMinutes must be at most 1440 (one day)',
      });
    }
    // A healthy run leaves the watermark about one interval behind; less would alarm all the time.
    if (config.watermarkLagAlarmMinutes < 2 * config.pollIntervalMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['watermarkLagAlarmMinutes'],
        message: 'must be at least twice pollIntervalMinutes',
      });
    }
  });

/** Whether an email target gets each change: the stack subscribes its address to the change topic. */
function hasEachEmailTarget(targets: readonly NotificationTarget[]): boolean {
  return targets.some((target) => target.type === 'email' && target.delivery === 'each');
}

/**
 * Whether the poller writes the readable text `email` subscriptions of the change topic get: when a
 * target is an email with `"delivery": "each"` (the only email the stack subscribes to the topic), or
 * when `topicEmailText` says so for email subscriptions made outside the stack.
 */
export function topicEmailTextOf(config: Pick<NotifierConfig, 'topicEmailText' | 'notifications'>): boolean {
  return config.topicEmailText ?? hasEachEmailTarget(config.notifications);
}

/** Where a target delivers: its endpoint, or for Slack its name (its webhook URL is not known here). */
export function targetEndpoint(target: NotificationTarget): string {
  switch (target.type) {
    case 'email':
      return target.address.toLowerCase();
    case 'https':
      return target.url;
    case 'sqs':
      return target.queueArn;
    case 'lambda':
      return target.functionArn;
    case 'slack':
    case 'webhook':
      return target.name.toLowerCase().replace(/[-_]/g, '');
  }
}

/** Two targets with the same key are the same subscriber. */
export function targetKey(target: NotificationTarget): string {
  return `${target.type} ${targetEndpoint(target)}`;
}

/**
 * Why SNS would refuse the target's filter as a subscription filter policy, checked with the very
 * rules the stack builds the policy with; undefined when it is fine.
 */
function filterPolicyProblem(target: NotificationTarget): string | undefined {
  if (target.filter === undefined) return undefined;
  try {
    snsFilterPolicy(target.filter);
    return undefined;
  } catch (e: unknown) {
    if (!(e instanceof FilterPolicyError)) throw e;
    return `${e.message.replace(/^filter: /, '')} (${describeTarget(target)})`;
  }
}

/** Names a target without quoting anything that may be sensitive (a webhook URL, an address). */
export function describeTarget(target: NotificationTarget): string {
  return target.type === 'slack' || target.type === 'webhook'
    ? `${target.type} target "${target.name}"`
    : `${target.type} target`;
}

export type NotifierConfig = z.output<typeof notifierConfigSchema>;
export type WorkspaceSettings = NotifierConfig['workspaces'][number];

/** The context keys the schema reads, in the order the docs list them. */
export const CONFIG_KEYS = Object.keys(notifierConfigSchema.shape) as readonly (keyof NotifierConfig)[];
