/**
 * The invocation payload, strictly: `{"mode"?, "workspaces"?, "processIds"?, "since"?, "until"?,
 * "confirmDeletions"?, "targets"?}`. The schedules send `{"mode":"poll","workspaces":["acme"]}` and
 * `{"mode":"reconcile",...}`; an operator may send `{}` (a poll of everything), a replay (with `targets`
 * naming webhook targets it goes to, straight into their queues, instead of the topic), or a sweep
 * with `"confirmDeletions": true` that publishes the deletions an earlier sweep held. A misspelt key, an unknown mode or a
 * malformed time is refused with a message naming it, so a typo never turns into a silent full poll.
 */
import { ConfigError, describeIssues } from '../../shared/config/config-error.js';
import { parseRfc3339 } from '../../shared/core/rfc3339.js';
import { onFirstUse } from '../../shared/support/on-first-use.js';
import * as z from '../../shared/support/schema.js';

export const POLLER_MODES = ['poll', 'reconcile', 'replay'] as const;
export type PollerMode = (typeof POLLER_MODES)[number];

const PAYLOAD_KEYS = [
  'mode',
  'workspaces',
  'processIds',
  'since',
  'until',
  'confirmDeletions',
  'targets',
] as const;
/** Far more names than any deployment configures; bounds the work a hostile payload can cause. */
const MAX_NAMES = 1000;
/** Longer than any workspace name (64) or process id (128) the configuration accepts. */
const MAX_NAME_LENGTH = 256;
/** A quoted key is cut here: the message names it, it does not echo a payload. */
const MAX_QUOTED_LENGTH = 64;

const RFC3339_EXPECTATION = 'expected an RFC 3339 timestamp with a zone, such as 2026-11-27T10:00:00Z';

const timestamp = () =>
  z.pipe(
    z
      .string({ error: RFC3339_EXPECTATION })
      .check(z.refine((text) => parseRfc3339(text) !== undefined, { error: RFC3339_EXPECTATION })),
    z.transform((text: string) => new Date(parseRfc3339(text) ?? Number.NaN).toISOString()),
  );

const names = (what: string) =>
  z.pipe(
    z
      .array(z.string().check(z.minLength(1), z.maxLength(MAX_NAME_LENGTH)), {
        error: `expected a list of ${what}`,
      })
      .check(
        z.minLength(1, `expected at least one ${what.replace(/s$/, '')}; leave the key out for all`),
        z.maxLength(MAX_NAMES, `expected at most ${MAX_NAMES} ${what}`),
      ),
    z.transform((list: string[]) => [...new Set(list)]),
  );

/** Built by the first invocation, not at import. */
const payloadSchema = onFirstUse(() =>
  z
    .strictObject(
      {
        mode: z._default(
          z.enum(POLLER_MODES, { error: `expected ${POLLER_MODES.map((mode) => `"${mode}"`).join(', ')}` }),
          'poll',
        ),
        workspaces: z.optional(names('workspace names')),
        processIds: z.optional(names('process ids')),
        since: z.optional(timestamp()),
        until: z.optional(timestamp()),
        confirmDeletions: z.optional(z.boolean({ error: 'expected true or false' })),
        targets: z.optional(names('webhook target names')),
      },
      {
        error: (issue) => {
          if (issue.code === 'unrecognized_keys')
            return `unknown key ${issue.keys.map(quoted).join(', ')}; allowed keys: ${PAYLOAD_KEYS.join(', ')}`;
          if (issue.code === 'invalid_type') return 'expected a JSON object';
          return undefined;
        },
      },
    )
    .check(
      z.superRefine((payload, ctx) => {
        if (payload.confirmDeletions !== undefined && payload.mode !== 'reconcile') {
          ctx.addIssue({
            code: 'custom',
            path: ['confirmDeletions'],
            message: 'only allowed with mode "reconcile"',
          });
        }
        if (payload.mode === 'replay') {
          if (payload.since === undefined)
            ctx.addIssue({ code: 'custom', path: ['since'], message: 'required for mode "replay"' });
          else if (payload.until !== undefined && payload.until <= payload.since)
            ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be later than since' });
          return;
        }
        for (const key of ['since', 'until', 'targets'] as const) {
          if (payload[key] !== undefined)
            ctx.addIssue({ code: 'custom', path: [key], message: 'only allowed with mode "replay"' });
        }
      }),
    ),
);

/** Which configured workspaces and processes a run covers; absent means all of them. */
export interface RunSelection {
  readonly workspaces?: readonly string[];
  readonly processIds?: readonly string[];
}

export type PollerRequest =
  | (RunSelection & { readonly mode: 'poll' })
  | (RunSelection & {
      readonly mode: 'reconcile';
      /** Publish the deletions the sweep infers however many there are (see deletion-guard.ts). */
      readonly confirmDeletions?: boolean;
    })
  | (RunSelection & {
      readonly mode: 'replay';
      /** Normalised to UTC, `toISOString()` form. */
      readonly since: string;
      readonly until?: string;
      /** Webhook targets to replay to, only; absent means the topic (every subscriber). */
      readonly targets?: readonly string[];
    });

export function parsePollerEvent(event: unknown): PollerRequest {
  const parsed = payloadSchema().safeParse(event ?? {});
  if (!parsed.success)
    throw new ConfigError(`Invalid invocation payload:\n${describeIssues(parsed.error.issues)}`);
  const { mode, workspaces, processIds, since, until, confirmDeletions, targets } = parsed.data;
  const selection = {
    ...(workspaces === undefined ? {} : { workspaces }),
    ...(processIds === undefined ? {} : { processIds }),
  };
  if (mode === 'reconcile' && confirmDeletions === true) return { mode, confirmDeletions, ...selection };
  if (mode !== 'replay') return { mode, ...selection };
  // The schema refuses a replay without since; zod's output type cannot say so.
  return {
    mode,
    since: since as string,
    ...(until === undefined ? {} : { until }),
    ...(targets === undefined ? {} : { targets }),
    ...selection,
  };
}

/** `Date` accepts 2026-02-30 (as March 2nd): the calendar date must survive the round trip. */
export function quoted(text: string): string {
  const cut = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
  return JSON.stringify(cut);
}
