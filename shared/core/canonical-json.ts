/**
 * Canonical JSON and content hashing: two projects hash alike exactly when they hold the same data,
 * whatever the key order the API sent and whatever the ignored fields (e.g. `updatedAt`) say.
 */
import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from './json.js';

export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Top-level fields are ignored by name; nested fields are compared in full. */
export function withoutIgnoredFields(body: JsonObject, ignoredFields: ReadonlySet<string>): JsonObject {
  if (ignoredFields.size === 0) return body;
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (!ignoredFields.has(key)) kept[key] = value;
  }
  return kept;
}

/** SHA-256 (hex) of the canonical JSON of the project without its ignored fields. */
export function contentHash(body: JsonObject, ignoredFields: ReadonlySet<string>): string {
  return createHash('sha256')
    .update(canonicalJson(withoutIgnoredFields(body, ignoredFields)))
    .digest('hex');
}
