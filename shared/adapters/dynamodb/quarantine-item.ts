/**
 * Converts between a quarantine entry and its item. Layer: adapter. The project is kept (as JSON text)
 * when the item stays within the size limit, so later runs can retry it without Midaxo listing it again;
 * otherwise the entry says only why and since when.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { QuarantinedProject, QuarantineEntry } from '../../core/ports.js';
import { onFirstUse } from '../../support/on-first-use.js';
import * as z from '../../support/schema.js';
import { itemSizeBytes } from './item-size.js';
import { parseSnapshot } from './project-item.js';
import { CorruptStateError } from './state-store-errors.js';
import { quarantineKey, STATE_ATTRIBUTES } from './state-table.js';

type Item = Record<string, AttributeValue>;

/** The entry's item; `kept` says whether the project is in it, so listing entries never has to read bodies. */
export function toQuarantineItem(processId: string, entry: QuarantinedProject, maxItemBytes: number): Item {
  const item = (kept: boolean): Item => ({
    ...quarantineKey(processId, entry.projectId),
    [STATE_ATTRIBUTES.projectId]: { S: entry.projectId },
    [STATE_ATTRIBUTES.reason]: { S: entry.reason },
    [STATE_ATTRIBUTES.since]: { S: entry.since },
    [STATE_ATTRIBUTES.kept]: { BOOL: kept },
  });
  if (entry.body === undefined) return item(false);
  const withBody = { ...item(true), [STATE_ATTRIBUTES.body]: { S: JSON.stringify(entry.body) } };
  return itemSizeBytes(withBody) <= maxItemBytes ? withBody : item(false);
}

const quarantineItemSchema = onFirstUse(() =>
  z.object({
    [STATE_ATTRIBUTES.projectId]: z.object({ S: z.string() }),
    [STATE_ATTRIBUTES.reason]: z.object({ S: z.string() }),
    [STATE_ATTRIBUTES.since]: z.object({ S: z.string() }),
    [STATE_ATTRIBUTES.body]: z.optional(z.object({ S: z.string() })),
    [STATE_ATTRIBUTES.kept]: z.optional(z.object({ BOOL: z.boolean() })),
  }),
);

export function fromQuarantineItem(processId: string, tableName: string, item: Item): QuarantinedProject {
  const { kept: _, ...project } = parseQuarantineItem(processId, tableName, item);
  return project;
}

/** An entry as listed (projected without its body): `kept` only when its item says. */
export function fromListedQuarantineItem(processId: string, tableName: string, item: Item): QuarantineEntry {
  return parseQuarantineItem(processId, tableName, item);
}

function parseQuarantineItem(
  processId: string,
  tableName: string,
  item: Item,
): QuarantinedProject & Pick<QuarantineEntry, 'kept'> {
  const corrupt = (problem: string) =>
    new CorruptStateError(
      `A quarantine entry of process ${processId} (table ${tableName}) is corrupt: ${problem}. Delete the ` +
        'item: the project is set aside again, or processed, when it is next listed.',
    );
  const parsed = quarantineItemSchema().safeParse(item);
  if (!parsed.success) throw corrupt('expected projectId, reason and since as text (and kept as a boolean)');
  const bodyText = parsed.data[STATE_ATTRIBUTES.body]?.S;
  const kept = parsed.data[STATE_ATTRIBUTES.kept]?.BOOL;
  return {
    projectId: parsed.data[STATE_ATTRIBUTES.projectId].S,
    reason: parsed.data[STATE_ATTRIBUTES.reason].S,
    since: parsed.data[STATE_ATTRIBUTES.since].S,
    ...(bodyText === undefined ? {} : { body: parseSnapshot(bodyText, corrupt) }),
    ...(kept === undefined ? {} : { kept }),
  };
}
