/**
 * Field-level diff between two snapshots of a project, as JSON Pointer paths.
 * Objects are compared member by member; arrays are compared as whole values, since
 * index-by-index changes of a reordered list tell a reader less than the list before and after.
 */
import { canonicalJson } from './canonical-json.js';
import type { FieldChange } from './change-event.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';
import { appendPointer } from './json-pointer.js';

export function diffProjects(
  before: JsonObject,
  after: JsonObject,
  ignoredFields: ReadonlySet<string>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = unionOfKeys(before, after).filter((key) => !ignoredFields.has(key));
  for (const key of keys) diffMember(before, after, key, '', changes);
  return changes;
}

function diffValues(before: JsonValue, after: JsonValue, path: string, changes: FieldChange[]): void {
  if (isJsonObject(before) && isJsonObject(after)) {
    for (const key of unionOfKeys(before, after)) diffMember(before, after, key, path, changes);
    return;
  }
  if (canonicalJson(before) !== canonicalJson(after)) changes.push({ path, before, after });
}

function diffMember(
  before: JsonObject,
  after: JsonObject,
  key: string,
  parent: string,
  changes: FieldChange[],
) {
  const path = appendPointer(parent, key);
  const inBefore = Object.hasOwn(before, key);
  const inAfter = Object.hasOwn(after, key);
  if (inBefore && inAfter) diffValues(before[key] as JsonValue, after[key] as JsonValue, path, changes);
  else if (inAfter) changes.push({ path, after: after[key] as JsonValue });
  else changes.push({ path, before: before[key] as JsonValue });
}

function unionOfKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
