/**
 * Converts between a StoredProject and its item in the state table, in both directions validated:
 * on the way in the item is kept under the size limit, on the way out a damaged item is named.
 * Layer: adapter.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { StoredProject } from '../../core/ports.js';
import { onFirstUse } from '../../support/on-first-use.js';
import * as z from '../../support/schema.js';
import { itemSizeBytes } from './item-size.js';
import { CorruptStateError } from './state-store-errors.js';
import { projectIdOfSortKey, projectKey, STATE_ATTRIBUTES, STATE_TABLE_KEYS } from './state-table.js';

type Item = Record<string, AttributeValue>;

/** The item for one project; the snapshot is left out (and marked so) when the item would outgrow `maxItemBytes`. */
export function toProjectItem(
  processId: string,
  project: StoredProject,
  updatedAt: string,
  maxItemBytes: number,
): Item {
  const withoutSnapshot: Item = {
    ...projectKey(processId, project.projectId),
    [STATE_ATTRIBUTES.projectId]: { S: project.projectId },
    [STATE_ATTRIBUTES.hash]: { S: project.hash },
    [STATE_ATTRIBUTES.sequence]: { N: String(project.sequence) },
    [STATE_ATTRIBUTES.updatedAt]: { S: updatedAt },
    ...(project.deleted ? { [STATE_ATTRIBUTES.deleted]: { BOOL: true } } : {}),
    ...(project.numericId === undefined ? {} : { [STATE_ATTRIBUTES.numericId]: { BOOL: project.numericId } }),
  };
  if (project.snapshot === undefined) {
    return project.deleted
      ? withoutSnapshot
      : { ...withoutSnapshot, [STATE_ATTRIBUTES.snapshotOmitted]: { BOOL: true } };
  }
  const withSnapshot: Item = {
    ...withoutSnapshot,
    [STATE_ATTRIBUTES.snapshot]: { S: JSON.stringify(project.snapshot) },
  };
  return itemSizeBytes(withSnapshot) <= maxItemBytes
    ? withSnapshot
    : { ...withoutSnapshot, [STATE_ATTRIBUTES.snapshotOmitted]: { BOOL: true } };
}

const projectItemSchema = onFirstUse(() => {
  const stringValue = z.object({ S: z.string() });
  return z.object({
    [STATE_TABLE_KEYS.sortKey]: stringValue,
    [STATE_ATTRIBUTES.projectId]: z.optional(stringValue),
    [STATE_ATTRIBUTES.hash]: z.object(
      { S: z.string().check(z.minLength(1, 'must be a non-empty string')) },
      'must be a string',
    ),
    // Layout-1 items have no sequence: their projects had no numbered event yet.
    [STATE_ATTRIBUTES.sequence]: z.optional(
      z.object({ N: z.string().check(z.regex(/^\d{1,15}$/, 'must be a whole number')) }, 'must be a number'),
    ),
    [STATE_ATTRIBUTES.snapshot]: z.optional(stringValue),
    [STATE_ATTRIBUTES.deleted]: z.optional(z.object({ BOOL: z.boolean() })),
    [STATE_ATTRIBUTES.numericId]: z.optional(z.object({ BOOL: z.boolean() })),
  });
});

/** The project id of an item: its `projectId` attribute, or (layout 1) its sort key. */
export function projectIdOfItem(item: Item): string | undefined {
  const attribute = item[STATE_ATTRIBUTES.projectId]?.S;
  if (attribute !== undefined) return attribute;
  const sortKey = item[STATE_TABLE_KEYS.sortKey]?.S;
  return sortKey === undefined ? undefined : projectIdOfSortKey(sortKey);
}

export function fromProjectItem(processId: string, tableName: string, item: Item): StoredProject {
  const projectId = projectIdOfItem(item);
  const corrupt = (problem: string) =>
    new CorruptStateError(
      `Stored state of project ${projectId?.slice(0, 200) ?? '(unknown)'} in process ${processId} (table ${tableName}) is ` +
        `corrupt: ${problem}. Delete the item so the project is treated as new, or restore the table.`,
    );
  if (projectId === undefined) throw corrupt(`sort key is not PROJECT#<id>`);
  const parsed = projectItemSchema().safeParse(item);
  if (!parsed.success) throw corrupt(describeIssues(parsed.error));
  const hash = parsed.data[STATE_ATTRIBUTES.hash].S;
  const sequence = Number(parsed.data[STATE_ATTRIBUTES.sequence]?.N ?? '0');
  const numericId = parsed.data[STATE_ATTRIBUTES.numericId]?.BOOL;
  const deleted = {
    ...(parsed.data[STATE_ATTRIBUTES.deleted]?.BOOL === true ? { deleted: true } : {}),
    ...(numericId === undefined ? {} : { numericId }),
  };
  const snapshotText = parsed.data[STATE_ATTRIBUTES.snapshot]?.S;
  if (snapshotText === undefined) return { projectId, hash, sequence, ...deleted };
  return { projectId, hash, sequence, snapshot: parseSnapshot(snapshotText, corrupt), ...deleted };
}

export function parseSnapshot(text: string, corrupt: (problem: string) => CorruptStateError): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e: unknown) {
    throw corrupt(`snapshot is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isJsonObject(value)) throw corrupt('snapshot is not a JSON object');
  return value;
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'item'} ${issue.message}`).join('; ');
}
