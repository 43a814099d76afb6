/**
 * The listing response of `GET /processes/{processId}/projects`, validated into a `ProjectPage`.
 * Layer: adapter.
 *
 * The projects are the response's one top-level array, whatever it is called (the documentation does not
 * name it); `paging.endCursor` leads to the next page and counts as absent unless it is a string.
 */
import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';
import type { ProjectPage } from '../../core/ports.js';

export class InvalidProjectPageError extends Error {
  override readonly name = 'InvalidProjectPageError';
}

const ID_PROBLEM = 'has no id (expected a non-empty string or a number)';

const projectItemSchema = z.looseObject(
  {
    id: z.union([z.string().min(1, { error: ID_PROBLEM }), z.number()], { error: ID_PROBLEM }),
  },
  { error: 'is not a JSON object' },
);

const projectPageSchema = z
  .record(z.string(), z.unknown(), { error: 'the response is not a JSON object' })
  .transform((page, context) => {
    const arrayKeys = Object.keys(page).filter((key) => Array.isArray(page[key]));
    const [itemsKey] = arrayKeys;
    if (itemsKey === undefined || arrayKeys.length > 1) {
      const found =
        arrayKeys.length === 0 ? `none among keys [${Object.keys(page).join(', ')}]` : arrayKeys.join(', ');
      context.addIssue({
        code: 'custom',
        message: `expected exactly one top-level array of projects, found ${found}`,
      });
      return z.NEVER;
    }
    return { itemsKey, items: page[itemsKey], paging: page.paging };
  })
  .pipe(
    z.object({
      itemsKey: z.string(),
      items: z.array(projectItemSchema),
      paging: z.looseObject(
        { endCursor: z.unknown().optional() },
        { error: "the response has no 'paging' object" },
      ),
    }),
  );

/** Throws `InvalidProjectPageError` naming what is wrong and where, e.g. `data[3] has no id`. */
export function parseProjectPage(body: unknown): ProjectPage {
  const parsed = projectPageSchema.safeParse(body);
  if (!parsed.success) throw new InvalidProjectPageError(describeIssues(parsed.error.issues, body));
  const { items, paging } = parsed.data;
  return {
    projects: items.map((item) => ({ id: String(item.id), body: item as JsonObject })),
    endCursor: typeof paging.endCursor === 'string' ? paging.endCursor : null,
  };
}

function describeIssues(issues: readonly z.core.$ZodIssue[], body: unknown): string {
  const itemsKey =
    typeof body === 'object' && body !== null
      ? Object.keys(body).find((key) => Array.isArray((body as Record<string, unknown>)[key]))
      : undefined;
  const described = issues.slice(0, 3).map((issue) => {
    const [field, index] = issue.path;
    if (field === 'items' && typeof index === 'number')
      return `${itemsKey ?? 'items'}[${index}] ${issue.message}`;
    return issue.message;
  });
  const more = issues.length > 3 ? `; and ${issues.length - 3} more problems` : '';
  return `${described.join('; ')}${more}`;
}
