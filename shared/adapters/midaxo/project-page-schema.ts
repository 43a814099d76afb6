/**
 * The listing response of `GET /processes/{processId}/projects`, validated into a `ProjectPage`.
 * Layer: adapter.
 *
 * The projects are the response's one top-level array, whatever it is called (the documentation does not
 * name it); `paging.endCursor` leads to the next page and counts as absent unless it is a string. A cursor
 * longer than MAX_CURSOR_LENGTH is refused: it goes into every next URL and into the checkpoint.
 *
 * Each project is passed on as the very object `JSON.parse` made, not a copy: a copy made by assignment
 * would lose a field named `__proto__`, and only the `id` is checked, so a project of any depth comes
 * through as data for the core to judge. An item the core cannot use (not an object, no usable id) does
 * not fail the page either: it comes with a `problem` and a stand-in id starting with `#`, and is set aside.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.js';
import { isJsonObject, type JsonValue } from '../../core/json.js';
import { MAX_CURSOR_LENGTH } from '../../core/page-stream.js';
import type { Project, ProjectPage } from '../../core/ports.js';
import { onFirstUse } from '../../support/on-first-use.js';
import * as z from '../../support/schema.js';
import { quoteUntrusted } from '../../support/untrusted-text.js';

export class InvalidProjectPageError extends Error {
  override readonly name = 'InvalidProjectPageError';
}

export { MAX_CURSOR_LENGTH };

/** Response keys named in an error: how many, and how much of each. */
const KEYS_SHOWN = 10;
const KEY_CHARS_SHOWN = 40;

const projectPageSchema = onFirstUse(() =>
  z.pipe(
    z.pipe(
      z.record(z.string(), z.unknown(), { error: 'the response is not a JSON object' }),
      z.transform((page: Record<string, unknown>, context) => {
        const arrayKeys = Object.keys(page).filter((key) => Array.isArray(page[key]));
        const [itemsKey] = arrayKeys;
        if (itemsKey === undefined || arrayKeys.length > 1) {
          const found =
            arrayKeys.length === 0 ? `none among keys [${keyList(Object.keys(page))}]` : keyList(arrayKeys);
          context.issues.push({
            code: 'custom',
            message: `expected exactly one top-level array of projects, found ${found}`,
            input: page,
          });
          return z.NEVER;
        }
        return { itemsKey, items: page[itemsKey], paging: page.paging };
      }),
    ),
    z.object({
      itemsKey: z.string(),
      items: z.array(z.unknown()),
      paging: z.looseObject(
        {
          endCursor: z.optional(
            z.unknown().check(
              z.refine((cursor) => typeof cursor !== 'string' || cursor.length <= MAX_CURSOR_LENGTH, {
                error: `paging.endCursor is longer than ${MAX_CURSOR_LENGTH} characters`,
              }),
            ),
          ),
        },
        { error: "the response has no 'paging' object" },
      ),
    }),
  ),
);

/**
 * Throws `InvalidProjectPageError` naming what is wrong and where, e.g. `data[3] has no id`.
 * `first` is the page size the request asked for: a page with more items than that is refused whole,
 * before its items become projects (see `pageFloodProblem`).
 */
export function parseProjectPage(body: unknown, first?: number): ProjectPage {
  const parsed = projectPageSchema().safeParse(body);
  if (!parsed.success) throw new InvalidProjectPageError(describeIssues(parsed.error.issues, body));
  const { itemsKey, paging } = parsed.data;
  const items = (body as Record<string, unknown[]>)[itemsKey] as unknown[];
  const flood = first === undefined ? undefined : pageFloodProblem(items.length, first);
  if (flood !== undefined) throw new InvalidProjectPageError(flood);
  return {
    projects: items.map(projectOf),
    endCursor: typeof paging.endCursor === 'string' ? paging.endCursor : null,
  };
}

/**
 * No tolerance: an API that honours `first` never sends more, and `first` is what keeps a page's work
 * and memory bounded (the page sizer plans it from the bytes per project). A page with even one item
 * more is a server ignoring the paging, so its cursor cannot be trusted to lead on from where this page
 * ends either; a flood of 400,000 tiny projects would otherwise be detected, stored and published as
 * one page. Refused as a broken answer: the process fails and the next run asks again.
 */
function pageFloodProblem(items: number, first: number): string | undefined {
  if (items <= first) return undefined;
  return (
    `the page holds ${items} items, more than the ${first} asked for (first=${first}): a server that ` +
    'ignores the page size is not trusted with the listing'
  );
}

/** One listed item as the core takes it: a project, or a stand-in the core sets aside with the reason. */
function projectOf(item: unknown): Project {
  if (!isJsonObject(item)) return unusable(item, 'is not a JSON object');
  const { id } = item;
  if (typeof id === 'string' && id !== '') return { id, body: item };
  if (typeof id === 'number' && Number.isSafeInteger(id))
    return { id: String(id), body: item, numericId: true };
  if (typeof id === 'number') {
    return {
      id: `#id:${id}`,
      body: item,
      problem: 'id is a number JSON cannot carry exactly (beyond 2^53, or not whole)',
    };
  }
  return unusable(item, 'has no usable id (expected a non-empty string or a whole number)');
}

function unusable(item: unknown, problem: string): Project {
  const digest = createHash('sha256')
    .update(canonicalJson(item as JsonValue))
    .digest('hex');
  return { id: `#item:${digest.slice(0, 32)}`, body: isJsonObject(item) ? item : {}, problem };
}

function describeIssues(issues: readonly z.core.$ZodIssue[], body: unknown): string {
  const itemsKey =
    typeof body === 'object' && body !== null
      ? Object.keys(body).find((key) => Array.isArray((body as Record<string, unknown>)[key]))
      : undefined;
  const described = issues.slice(0, 3).map((issue) => {
    const [field, index] = issue.path;
    if (field === 'items' && typeof index === 'number')
      return `${itemName(itemsKey ?? 'items')}[${index}] ${issue.message}`;
    return issue.message;
  });
  const more = issues.length > 3 ? `; and ${issues.length - 3} more problems` : '';
  return `${described.join('; ')}${more}`;
}

/** The server names the keys: each is cleaned and cut short, and only the first few are listed. */
function keyList(keys: readonly string[]): string {
  const shown = keys.slice(0, KEYS_SHOWN).map(itemName);
  const more = keys.length > KEYS_SHOWN ? `, and ${keys.length - KEYS_SHOWN} more` : '';
  return `${shown.join(', ')}${more}`;
}

function itemName(key: string): string {
  return quoteUntrusted(key, { maxLength: KEY_CHARS_SHOWN });
}
