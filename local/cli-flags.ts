/**
 * The local command's flags, described once: `parseArgs` reads them and `--help` lists them from this table,
 * so a flag cannot exist without being explained.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** What the value is, as shown in `--help`, e.g. `<seconds>`. */
  readonly value?: string;
  readonly group: 'Source' | 'State and schedule' | 'Output' | 'Sandbox' | 'Help';
  readonly help: string;
}

export const FLAGS = {
  instance: {
    type: 'string',
    value: '<eu|us>',
    group: 'Source',
    help: 'Poll the real Midaxo Cloud API of this instance instead of the built-in sandbox. Credentials come from MIDAXO_CLIENT_ID and MIDAXO_CLIENT_SECRET (environment or ./.env).',
  },
  process: {
    type: 'string',
    multiple: true,
    value: '<id>',
    group: 'Source',
    help: 'A Midaxo process whose projects to watch; repeat for several. Required with --instance or --api-url.',
  },
  'api-url': {
    type: 'string',
    value: '<url>',
    group: 'Source',
    help: "The API base URL, overriding the instance's (https://, or http:// for localhost).",
  },
  'auth-url': {
    type: 'string',
    value: '<url>',
    group: 'Source',
    help: "The full OAuth2 token URL, overriding the instance's. With --api-url, --instance may be left out.",
  },
  state: {
    type: 'string',
    value: '<path>',
    group: 'State and schedule',
    help: 'SQLite file keeping watermarks and project hashes between runs (created if missing). Default: .local-state/notifier.sqlite',
  },
  interval: {
    type: 'string',
    value: '<seconds>',
    group: 'State and schedule',
    help: 'Seconds from the start of one poll cycle to the next (0.1 to 86400). Default: 5',
  },
  once: {
    type: 'boolean',
    group: 'State and schedule',
    help: 'Run one poll cycle and exit: 0 when every process was polled, 1 when one failed. For cron.',
  },
  reconcile: {
    type: 'boolean',
    group: 'State and schedule',
    help: 'Run the deletion sweep instead of a poll: list every project and publish `deleted` for those gone (daily, with --once).',
  },
  'confirm-deletions': {
    type: 'boolean',
    group: 'State and schedule',
    help: 'With --reconcile: publish the deletions the sweep infers however many there are, after a sweep held them (see --max-deletions).',
  },
  'max-deletions': {
    type: 'string',
    value: '<count>',
    group: 'State and schedule',
    help: 'A sweep holds its deletions, publishing none, when they are more than this many and more than --max-deletions-percent of the known projects (or the listing was empty). Default: 10',
  },
  'max-deletions-percent': {
    type: 'string',
    value: '<percent>',
    group: 'State and schedule',
    help: 'The share of known projects (0 to 100) a sweep may delete before it holds the deletions (see --max-deletions). Default: 20',
  },
  'replay-since': {
    type: 'string',
    value: '<instant>',
    group: 'State and schedule',
    help: 'Publish again every event the local event log recorded since this RFC 3339 instant (same ids), then exit. Polls nothing.',
  },
  'sweep-every': {
    type: 'string',
    value: '<cycles>',
    group: 'State and schedule',
    help: 'Every Nth cycle is the deletion sweep instead of a poll (0: never). Default: 2 with the sandbox; 720 with the real API (an hour at the default 5 s interval).',
  },
  'publish-baseline': {
    type: 'boolean',
    group: 'State and schedule',
    help: "On a process's first cycle, publish every project as `created` instead of recording them silently.",
  },
  json: {
    type: 'boolean',
    group: 'Output',
    help: 'Print each event as one CloudEvents JSON document per line instead of readable text.',
  },
  webhook: {
    type: 'string',
    multiple: true,
    value: '<url>',
    group: 'Output',
    help: 'Also POST each event to this https:// URL (http:// for localhost), signed per Standard Webhooks; what a receiver does not take is queued in the state file and retried for about a day (docs/webhooks.md); repeat for several.',
  },
  'webhook-secret': {
    type: 'string',
    value: '<whsec_...>',
    group: 'Output',
    help: 'The Standard Webhooks signing secret: base64 of 24-64 random bytes, "whsec_" in front or not. Prefer WEBHOOK_SECRET in the environment or ./.env: flags show up in `ps`.',
  },
  'sns-topic-arn': {
    type: 'string',
    value: '<arn>',
    group: 'Output',
    help: 'Also publish each event to this Amazon SNS topic, with the AWS credentials of the default chain (AWS_PROFILE, ...).',
  },
  projects: {
    type: 'string',
    value: '<count>',
    group: 'Sandbox',
    help: 'Sample projects a new sandbox starts with (1 to 1000000). Default: 200. The sandbox is kept in the state file, and later starts go on with it.',
  },
  seed: {
    type: 'string',
    value: '<number>',
    group: 'Sandbox',
    help: "Seed of a new sandbox's random editor, so a demo run can be repeated from a fresh state file. Default: 1",
  },
  help: { type: 'boolean', short: 'h', group: 'Help', help: 'Show this help and exit.' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

/** Raw flag values as given, not yet validated: strings, booleans and lists of strings. */
export type RawFlags = Partial<Record<FlagName, string | boolean | string[]>>;

export function readFlags(args: readonly string[]): RawFlags {
  try {
    const { values } = parseArgs({
      args: withNegativeNumbersAttached(args),
      options: FLAGS,
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (e: unknown) {
    if (!(e instanceof Error)) throw e;
    const code = (e as { code?: unknown }).code;
    // The positional itself is not repeated: it may be a secret typed after the wrong flag.
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError('Unexpected argument: this command takes flags only, each starting with --');
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /'(--[a-z-]+)/.exec(e.message)?.[1];
      if (flag !== undefined) throw new UsageError(`Invalid flags:\n- ${flag}: expected a value after it`);
    }
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * `--interval -1` as `--interval=-1`: parseArgs takes a value starting with `-` for a flag and refuses
 * it as ambiguous; a number is meant as the value, and the schema then says what range it must be in.
 */
function withNegativeNumbersAttached(args: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const takesValue = name !== undefined && name in FLAGS && FLAGS[name as FlagName].type === 'string';
    if (takesValue && next !== undefined && /^-\d*\.?\d/.test(next)) {
      result.push(`${arg}=${next}`);
      i += 1;
    } else {
      result.push(arg);
    }
  }
  return result;
}
