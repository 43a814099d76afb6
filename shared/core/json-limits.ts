/**
 * How deeply a project may nest. Hashing and diffing walk any depth without recursion, but much else a
 * project passes through recurses: `JSON.stringify` (storing the snapshot, publishing the event) throws
 * "Maximum call stack size exceeded" a few thousand levels down. A project deeper than the limit is
 * therefore set aside before any of that runs, and the depth is measured without recursion too.
 */
import { isJsonObject } from './json.js';

/**
 * Objects and arrays nested inside one another, the project itself counting as 1. Real deal records
 * nest a handful of levels (custom fields, owners, amounts); 64 leaves ample room for that and stays far
 * below the depths at which recursive code fails.
 */
export const MAX_PROJECT_DEPTH = 64;

/**
 * How many objects and arrays nest at the deepest point of `value` (0 for a string, number, boolean or
 * null). With `stopAbove`, the walk ends as soon as it passes that depth and returns `stopAbove + 1`, so
 * checking a limit never walks further than it has to.
 */
export function jsonDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const pending: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const members = membersOf(item.value);
    if (members === undefined) continue;
    const depth = item.depth + 1;
    if (depth > stopAbove) return stopAbove + 1;
    deepest = Math.max(deepest, depth);
    for (const member of members) {
      if (typeof member === 'object' && member !== null) pending.push({ value: member, depth });
    }
  }
  return deepest;
}

/** True when `value` nests deeper than `maxDepth` (by default the project limit). */
export function exceedsMaxDepth(value: unknown, maxDepth = MAX_PROJECT_DEPTH): boolean {
  return jsonDepth(value, maxDepth) > maxDepth;
}

function membersOf(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  return isJsonObject(value) ? Object.values(value) : undefined;
}
