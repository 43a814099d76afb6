/**
 * The local command's options: the flags (and WEBHOOK_SECRET) validated with one schema into a typed object.
 * Messages name the flag and what it expects, never the value given (it may be a secret).
 */
import { z } from 'zod';
import { type MidaxoEndpoints, midaxoEndpointsFor } from '../shared/adapters/midaxo/midaxo-endpoints.js';
import { DEFAULT_STATE_PATH } from '../shared/adapters/sqlite/sqlite-state-store.js';
import {
  createWebhookSigner,
  WEBHOOK_SECRET_EXPECTATION,
} from '../shared/adapters/webhook/standard-webhooks-signature.js';
import { SNS_TOPIC_ARN } from '../shared/config/aws-arn.js';
import { DEFAULT_MAX_DELETIONS, DEFAULT_MAX_DELETIONS_PERCENT } from '../shared/config/poll-defaults.js';
import type { DeletionGuard } from '../shared/core/deletion-guard.js';
import { parseRfc3339 } from '../shared/core/rfc3339.js';
import { sendableUrl } from '../shared/support/secure-url.js';
import type { RawFlags } from './cli-flags.js';
import { UsageError } from './usage-error.js';

export type SourceOptions =
  /** `projects` and `seed` as given: they only shape a new sandbox. */
  | { readonly kind: 'sandbox'; readonly projects?: number; readonly seed?: number }
  | {
      readonly kind: 'midaxo';
      /** How the workspace is named in summaries: the instance, or `custom` for overridden URLs. */
      readonly label: string;
      readonly endpoints: MidaxoEndpoints;
      readonly processIds: readonly string[];
    };

export interface LocalOptions {
  readonly source: SourceOptions;
  readonly statePath: string;
  readonly intervalSeconds: number;
  readonly once: boolean;
  /** Run the deletion sweep instead of the incremental poll, every cycle. */
  readonly reconcile: boolean;
  /** Publish again, once, every event the local event log recorded since this instant; no polling. */
  readonly replaySince?: string;
  /** Sweeps publish the deletions they infer however many there are. */
  readonly confirmDeletions: boolean;
  /** When a sweep holds its deletions for confirmation. */
  readonly deletionGuard: DeletionGuard;
  /** Every Nth cycle is a deletion sweep; 0 never. */
  readonly sweepEvery: number;
  readonly json: boolean;
  readonly publishBaseline: boolean;
  readonly webhooks?: { readonly urls: readonly string[]; readonly secret: string };
  readonly snsTopicArn?: string;
}

const endpointUrl = z.string().refine(...sendableUrl());

const numberIn = (what: string, min: number, max: number, integer: boolean) => {
  const expectation = `expected ${integer ? 'a whole number' : what} from ${min} to ${max}`;
  const number = z.number({ error: expectation }).min(min, expectation).max(max, expectation);
  return z
    .string()
    .trim()
    .min(1, expectation)
    .transform(Number)
    .pipe(integer ? number.int(expectation) : number);
};

const flagsSchema = z
  .object({
    instance: z.enum(['eu', 'us'], { error: 'expected "eu" or "us"' }).optional(),
    process: z
      .array(
        z
          .string()
          .regex(/^[^\s/?#]{1,200}$/, 'expected a process id: 1-200 characters without spaces, / ? or #'),
      )
      .default([]),
    'api-url': endpointUrl.optional(),
    'auth-url': endpointUrl.optional(),
    state: z.string().min(1, 'expected a file path').default(DEFAULT_STATE_PATH),
    interval: numberIn('seconds', 0.1, 86_400, false).default(5),
    once: z.boolean().default(false),
    reconcile: z.boolean().default(false),
    'confirm-deletions': z.boolean().default(false),
    'max-deletions': numberIn('a count', 0, 1_000_000, true).default(DEFAULT_MAX_DELETIONS),
    'max-deletions-percent': numberIn('a percentage', 0, 100, true).default(DEFAULT_MAX_DELETIONS_PERCENT),
    'replay-since': z
      .string()
      .refine((value) => parseRfc3339(value) !== undefined, {
        error: 'expected an RFC 3339 instant such as 2026-11-27T08:00:00Z',
      })
      .optional(),
    'sweep-every': numberIn('a count', 0, 1_000_000, true).optional(),
    'publish-baseline': z.boolean().default(false),
    json: z.boolean().default(false),
    webhook: z.array(z.string().refine(...sendableUrl())).default([]),
    'webhook-secret': z.string().optional(),
    'sns-topic-arn': z
      .string()
      .regex(
        SNS_TOPIC_ARN,
        'expected an SNS topic ARN, e.g. arn:aws:sns:eu-west-1:123456789012:midaxo-changes',
      )
      .optional(),
    projects: numberIn('a count', 1, 1_000_000, true).optional(),
    seed: numberIn('a seed', 0, 2 ** 32 - 1, true).optional(),
  })
  .superRefine((flags, ctx) => {
    const realApi =
      flags.instance !== undefined || flags['api-url'] !== undefined || flags['auth-url'] !== undefined;
    const issue = (flag: string, message: string) => ctx.addIssue({ code: 'custom', path: [flag], message });
    if (realApi) {
      if (flags.process.length === 0)
        issue('process', 'expected at least one process id to poll (repeat --process for more)');
      if (
        flags.instance === undefined &&
        (flags['api-url'] === undefined || flags['auth-url'] === undefined)
      ) {
        issue('instance', 'expected "eu" or "us" (or both --api-url and --auth-url)');
      }
      if (flags.projects !== undefined)
        issue('projects', 'only applies to the sandbox, not with --instance or --api-url');
      if (flags.seed !== undefined)
        issue('seed', 'only applies to the sandbox, not with --instance or --api-url');
    } else if (flags.process.length > 0) {
      issue('process', 'polls the real API: add --instance eu|us (or --api-url and --auth-url)');
    }
    if (flags['confirm-deletions'] && !flags.reconcile)
      issue('confirm-deletions', 'only applies to a sweep: add --reconcile');
    if (flags.webhook.length > 0) {
      if (flags['webhook-secret'] === undefined) {
        issue(
          'webhook-secret',
          'expected with --webhook (or set WEBHOOK_SECRET): receivers verify the signature',
        );
      } else if (!isUsableSecret(flags['webhook-secret'])) {
        issue('webhook-secret', WEBHOOK_SECRET_EXPECTATION);
      }
    }
  });

type ValidFlags = z.output<typeof flagsSchema>;

/** Validates the flags; `WEBHOOK_SECRET` from the environment stands in for a missing `--webhook-secret`. */
export function parseLocalOptions(
  flags: RawFlags,
  env: Readonly<Record<string, string | undefined>>,
): LocalOptions {
  const input = { ...flags, 'webhook-secret': flags['webhook-secret'] ?? (env.WEBHOOK_SECRET || undefined) };
  const parsed = flagsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const [flag] = issue.path;
      return flag === undefined ? `- ${issue.message}` : `- --${String(flag)}: ${issue.message}`;
    });
    throw new UsageError(`Invalid flags:\n${problems.join('\n')}`);
  }
  return toOptions(parsed.data);
}

/** With the sandbox, deletions show within seconds; against the real API, a full listing each hour at most. */
const SANDBOX_SWEEP_EVERY = 2;
const API_SWEEP_EVERY = 720;

function toOptions(flags: ValidFlags): LocalOptions {
  const secret = flags['webhook-secret'];
  const source = sourceOptions(flags);
  return {
    source,
    statePath: flags.state,
    intervalSeconds: flags.interval,
    // A replay is one pass over the event log, never a schedule.
    once: flags.once || flags['replay-since'] !== undefined,
    reconcile: flags.reconcile,
    confirmDeletions: flags['confirm-deletions'],
    deletionGuard: {
      maxDeletions: flags['max-deletions'],
      maxDeletionsPercent: flags['max-deletions-percent'],
    },
    ...(flags['replay-since'] === undefined
      ? {}
      : { replaySince: new Date(parseRfc3339(flags['replay-since']) ?? Number.NaN).toISOString() }),
    sweepEvery: flags['sweep-every'] ?? (source.kind === 'sandbox' ? SANDBOX_SWEEP_EVERY : API_SWEEP_EVERY),
    json: flags.json,
    publishBaseline: flags['publish-baseline'],
    webhooks: flags.webhook.length > 0 && secret !== undefined ? { urls: flags.webhook, secret } : undefined,
    snsTopicArn: flags['sns-topic-arn'],
  };
}

function sourceOptions(flags: ValidFlags): SourceOptions {
  const apiUrl = flags['api-url'];
  const authUrl = flags['auth-url'];
  if (flags.instance === undefined && apiUrl === undefined && authUrl === undefined) {
    return { kind: 'sandbox', projects: flags.projects, seed: flags.seed };
  }
  const defaults = flags.instance === undefined ? undefined : midaxoEndpointsFor(flags.instance);
  const endpoints: MidaxoEndpoints = {
    apiUrl: (apiUrl ?? defaults?.apiUrl ?? '').replace(/\/+$/, ''),
    authUrl: authUrl ?? defaults?.authUrl ?? '',
    audience: defaults?.audience ?? midaxoEndpointsFor('eu').audience,
  };
  const overridden = apiUrl !== undefined || authUrl !== undefined;
  return {
    kind: 'midaxo',
    label: overridden || flags.instance === undefined ? 'custom' : flags.instance,
    endpoints,
    processIds: [...new Set(flags.process)],
  };
}

function isUsableSecret(secret: string): boolean {
  try {
    createWebhookSigner(secret);
    return true;
  } catch {
    return false;
  }
}
