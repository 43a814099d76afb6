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

export function canonicalJson(value: JsonValue): string {
  let out = '';
  const open: OpenContainer[] = [];
  let pending: JsonValue | undefined = value;
  for (;;) {
    if (pending !== undefined) {
      if (Array.isArray(pending)) {
        out += '[';
        open.push({ array: pending, object: null, keys: [], length: pending.length, next: 0 });
      } else if (isJsonObject(pending)) {
        const keys = Object.keys(pending).sort();
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
 * Top-level fields are ignored by name; nested fields are compared in full. Built with `fromEntries`
 * so a field named `__proto__` stays a field (an assignment would set the prototype instead).
 */
export function withoutIgnoredFields(body: JsonObject, ignoredFields: ReadonlySet<string>): JsonObject {
  if (ignoredFields.size === 0) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !ignoredFields.has(key)));
}

/** SHA-256 (hex) of the canonical JSON of the project without its ignored fields. */
export function contentHash(body: JsonObject, ignoredFields: ReadonlySet<string>): string {
  return createHash('sha256')
    .update(canonicalJson(withoutIgnoredFields(body, ignoredFields)))
    .digest('hex');
}
