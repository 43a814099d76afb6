/**
 * A checkpoint as the stores keep it, as JSON text, read back through one schema: a damaged one (or one
 * whose cursor is past the listing's limit) is refused rather than resumed from.
 * Layer: adapter, shared by the DynamoDB and SQLite stores; each names its own corrupt state.
 */
import { MAX_CURSOR_LENGTH } from '../core/page-stream.js';
import type { Checkpoint } from '../core/ports.js';
import { onFirstUse } from '../support/on-first-use.js';
import * as z from '../support/schema.js';

/** Only a resumed run reads a checkpoint: built then, not at import. */
const checkpointSchema = onFirstUse(() =>
  z.object({
    window: z.object({
      updatedAfter: z.optional(z.iso.datetime()),
      updatedBefore: z.optional(z.iso.datetime()),
    }),
    after: z.string().check(z.minLength(1), z.maxLength(MAX_CURSOR_LENGTH)),
    baseline: z.boolean(),
    pagesRead: z.optional(z.int().check(z.minimum(0))),
  }),
);

/** The checkpoint `text` holds, or undefined when it is not one. */
export function parseCheckpointJson(text: string): Checkpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = checkpointSchema().safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
