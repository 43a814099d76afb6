/**
 * Field-level diff between two snapshots of a project, as JSON Pointer paths.
 * Objects are compared member by member; arrays are compared as whole values, since
 * index-by-index changes of a reordered list tell a reader less than the list before and after.
 *
 * Nested objects are walked with an explicit stack, not by recursion, so no depth the API sends can
 * overflow the call stack; changes come out in the same order a depth-first walk over sorted keys gives.
 */
import { canonicalJson } from './canonical-json.js';
import type { FieldChange } from './change-event.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';
import { appendPointer } from './json-pointer.js';

/** A pair of objects being compared: their keys, sorted, and how far the comparison got. */
interface OpenPair {
  readonly before: JsonObject;
  readonly after: JsonObject;
  readonly path: string;
  readonly keys: readonly string[];
  next: number;
}

export function diffProjects(
  before: JsonObject,
  after: JsonObject,
  ignoredFields: ReadonlySet<string>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = unionOfKeys(before, after).filter((key) => !ignoredFields.has(key));
  const open: OpenPair[] = [{ before, after, path: '', keys, next: 0 }];
  for (let top = open.at(-1); top !== undefined; top = open.at(-1)) {
    if (top.next === top.keys.length) {
      open.pop();
      continue;
    }
    const key = top.keys[top.next] as string;
    top.next++;
    const inBefore = Object.hasOwn(top.before, key);
    const inAfter = Object.hasOwn(top.after, key);
    if (!inBefore) {
      changes.push({ path: appendPointer(top.path, key), after: top.after[key] as JsonValue });
      continue;
    }
    if (!inAfter) {
      changes.push({ path: appendPointer(top.path, key), before: top.before[key] as JsonValue });
      continue;
    }
    const valueBefore = top.before[key] as JsonValue;
    const valueAfter = top.after[key] as JsonValue;
    if (isJsonObject(valueBefore) && isJsonObject(valueAfter)) {
      open.push({
        before: valueBefore,
        after: valueAfter,
        path: appendPointer(top.path, key),
        keys: unionOfKeys(valueBefore, valueAfter),
        next: 0,
      });
    } else if (differ(valueBefore, valueAfter)) {
      changes.push({ path: appendPointer(top.path, key), before: valueBefore, after: valueAfter });
    }
  }
  return changes;
}

/** Two JSON values other than a pair of objects; plain values compare as their JSON text does. */
function differ(before: JsonValue, after: JsonValue): boolean {
  if (isPlain(before) && isPlain(after)) return before !== after;
  return canonicalJson(before) !== canonicalJson(after);
}

function isPlain(value: JsonValue): boolean {
  return value === null || typeof value !== 'object';
}

function unionOfKeys(a: JsonObject, b: JsonObject): string[] {
  const keys = Object.keys(a);
  for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) keys.push(key);
  return keys.sort();
}
