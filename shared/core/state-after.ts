/**
 * What to remember of a project once a recorded event about it is delivered, rebuilt from the event
 * as recorded: a deletion leaves the project remembered as deleted; any other event its snapshot (when
 * the event still carries it, i.e. was not shrunk) and hash.
 */
import { type ChangeEvent, changeKindOf } from './change-event.js';
import type { StoredProject } from './ports.js';

export function stateAfter(
  event: ChangeEvent,
  facts: Pick<StoredProject, 'projectId' | 'hash' | 'sequence'>,
): StoredProject {
  if (changeKindOf(event) === 'deleted') return { ...facts, deleted: true };
  const snapshot = event.data.truncated ? undefined : (event.data.project ?? undefined);
  return snapshot === undefined ? { ...facts } : { ...facts, snapshot };
}
