/**
 * Checks a diff with another implementation of RFC 6901 (the `jsonpointer` package): every change's path
 * resolves, in the snapshot before and after, to exactly the values the change carries, and a side the
 * change leaves out is absent there.
 */
import jsonpointer from 'jsonpointer';
import { expect } from 'vitest';
import type { FieldChange } from '../../../shared/core/change-event.js';
import { isJsonObject, type JsonObject } from '../../../shared/core/json.js';

export function expectPathsResolve(
  before: JsonObject,
  after: JsonObject,
  changes: readonly FieldChange[],
): void {
  for (const change of changes) {
    for (const [side, document] of [
      ['before', before],
      ['after', after],
    ] as const) {
      if (side in change) {
        expect(ownMemberAt(document, change.path), `${side} at ${change.path}`).toBe(true);
        expect(jsonpointer.get(document, change.path)).toStrictEqual(change[side]);
      } else {
        expect(ownMemberAt(document, change.path), `${side} at ${change.path}`).toBe(false);
      }
    }
  }
}

/** `jsonpointer` reads inherited members too (`/constructor`), so presence is checked on the parent. */
function ownMemberAt(document: JsonObject, path: string): boolean {
  const cut = path.lastIndexOf('/');
  const parent: unknown = jsonpointer.get(document, path.slice(0, cut));
  const key = path
    .slice(cut + 1)
    .replaceAll('~1', '/')
    .replaceAll('~0', '~');
  return isJsonObject(parent) && Object.hasOwn(parent, key);
}
