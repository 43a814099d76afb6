/**
 * Canonical JSON and content hashing: two projects hash alike exactly when they hold the same data,
 * whatever the key order the API sent and whatever the ignored fields (e.g. `updatedAt`) say.
 *
 * The walk keeps its own stack instead of recursing, so a project nested thousands of levels deep
 * (the API is not ours) costs memory in proportion to its size, never the call stack.
 */
import { createHash } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/** A container being written: its members and how far the writing got. */
interface OpenContainer {
  readonly array: readonly JsonValue[] | null;
  readonly object: JsonObject | null;
  /** The object's keys, sorted; empty for an array. */
  readonly keys: readonly string[];
  readonly length: number;
  next: number;
}

/** `ignoredTopLevel`: keys of the outermost object to leave out, as if they were not there. */
export function canonicalJson(value: JsonValue, ignoredTopLevel?: ReadonlySet<string>): string {
  let out = '';
  const open: OpenContainer[] = [];
  let pending: JsonValue | undefined = value;
  for (;;) {
    if (pending !== undefined) {
      if (Array.isArray(pending)) {
        out += '[';
        open.push({ array: pending, object: null, keys: [], length: pending.length, next: 0 });
      } else if (isJsonObject(pending)) {
        const all = Object.keys(pending);
        const keys = (
          open.length === 0 && ignoredTopLevel !== undefined && ignoredTopLevel.size > 0
            ? all.filter((key) => !ignoredTopLevel.has(key))
            : all
        ).sort();
        out += '{';
        open.push({ array: null, object: pending, keys, length: keys.length, next: 0 });
      } else {
        out += JSON.stringify(pending);
      }
      pending = undefined;
    }
    const top = open.at(-1);
    if (top === undefined) return out;
    if (top.next === top.length) {
      out += top.array === null ? '}' : ']';
      open.pop();
      continue;
    }
    if (top.next > 0) out += ',';
    if (top.array !== null) {
      pending = top.array[top.next];
    } else {
      const key = top.keys[top.next] as string;
      out += `${JSON.stringify(key)}:`;
      pending = (top.object as JsonObject)[key];
    }
    top.next++;
  }
}

/**
 * SHA-256 (hex) of the canonical JSON of the project without its ignored fields. Top-level fields
 * are ignored by name; nested fields are hashed in full.
 */
export function contentHash(body: JsonObject, ignoredFields: ReadonlySet<string>): string {
  return createHash('sha256').update(canonicalJson(body, ignoredFields)).digest('hex');
}
