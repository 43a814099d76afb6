/**
 * Projects nested far deeper than any recursive walk survives, built as JSON text and parsed (as the
 * adapter does), and JSON with keys that are easy to mishandle in JavaScript objects.
 */
import type { JsonObject } from '../../../shared/core/json.js';

/** Enough levels to overflow the call stack of any per-level recursion. */
export const HOSTILE_DEPTH = 10_000;

/** JSON text of `{"a": {"a": … leafText …}}`: `levels` objects around the leaf. */
export function nestedObjectText(levels: number, leafText: string): string {
  return `${'{"a":'.repeat(levels)}${leafText}${'}'.repeat(levels)}`;
}

/** A project nesting `depth` objects in all (itself included), with `leaf` at the bottom. */
export function deepProject(depth: number, leaf: string, id = 'deep-1'): JsonObject {
  return JSON.parse(
    `{"id":${JSON.stringify(id)},"deep":${nestedObjectText(depth - 1, JSON.stringify(leaf))}}`,
  );
}

/** Keys that plain assignment, prototype lookups or pointer splitting get wrong. */
export const AWKWARD_KEYS = ['__proto__', 'constructor', '', 'toString', 'a/b', '~0'] as const;

/** Parsed from text, so a `__proto__` entry becomes an own field rather than the prototype. */
export function objectOf(entries: readonly (readonly [string, unknown])[]): JsonObject {
  const members = entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return JSON.parse(`{${members.join(',')}}`);
}
