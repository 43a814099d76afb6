/** Changes as the core records them, for the store contracts: real events, real fitting. */
import { createHash } from 'node:crypto';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';
import type { ChangeKind } from '../../../shared/core/change-event.js';
import { fitEvent } from '../../../shared/core/fit-event.js';
import type { JsonObject } from '../../../shared/core/json.js';
import type { PendingChange, RecordedChange, StateStore, StoredProject } from '../../../shared/core/ports.js';

const SOURCE_BASE = 'https://api.app-eu.midaxo.com';

/** Ids that stress keys: too long for a DynamoDB key, the hashed-key mark, non-ASCII, numbers as text. */
export function trickyProjectIds(): string[] {
  const long = `long-${'é'.repeat(4_995)}`;
  return [
    long,
    `#${createHash('sha256').update(long, 'utf8').digest('hex')}`,
    '#starts-with-the-mark',
    'Übernahme – 日本語 🚀',
    'a#b#00000000000000000001',
    '1',
    '"1"',
    '01',
    '1.0',
  ];
}

export function snapshotOf(projectId: string, stage: string): JsonObject {
  return { id: projectId, name: `Projekt ${projectId.slice(0, 20)} – Übernahme`, stage, value: 1234567.891 };
}

export interface ChangeOptions {
  readonly processId: string;
  /** The snapshot after the change; for a deletion, the last one known. */
  readonly project?: JsonObject;
  /** Shrunk for the transport: the recorded event carries no snapshot. */
  readonly truncated?: boolean;
}

/** A change of `projectId` numbered `sequence`, with the state the core remembers once it is delivered. */
export function pendingChange(
  kind: ChangeKind,
  projectId: string,
  sequence: number,
  options: ChangeOptions,
): PendingChange {
  const project = options.project ?? snapshotOf(projectId, `stage-${sequence}`);
  const hash = `hash-${sequence}-${createHash('sha256').update(projectId).digest('hex').slice(0, 8)}`;
  const built = buildChangeEvent({
    kind,
    sourceBase: SOURCE_BASE,
    processId: options.processId,
    projectId,
    sequence,
    hash,
    changes: kind === 'updated' ? [{ path: '/stage', before: 'earlier', after: project.stage ?? null }] : [],
    project,
    detectedAt: new Date('2026-11-27T09:35:00.000Z'),
  });
  const event = options.truncated ? fitEvent(built, (candidate) => candidate.data.project === null) : built;
  const state: StoredProject =
    kind === 'deleted'
      ? { projectId, hash, sequence, deleted: true }
      : { projectId, hash, sequence, snapshot: project };
  return { event, state };
}

export function allRecorded(
  store: StateStore,
  processId: string,
  range: { since: string; until?: string },
): Promise<RecordedChange[]> {
  return allOf(store.recordedChanges(processId, range));
}

export function allListed(store: StateStore, processId: string): Promise<StoredProject[]> {
  return allOf(store.listProjects(processId));
}

/** Every item of a paged read, in order. */
export async function allOf<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
