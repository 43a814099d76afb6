/**
 * The projects of a process set aside during one run: loaded when the claim says there are any,
 * extended when a project cannot be processed, and shrunk as soon as one is processed after all.
 * Entries live in the state store, so every later run retries them, and the count goes back to the
 * process item when the run ends, so a run of a process with none never has to look.
 *
 * The run holds a digest and a date per entry, never an id or a kept project: however many projects a
 * server got set aside and however large they are, the register stays a few dozen bytes an entry. The
 * kept projects are read from the store a page at a time, only when they are retried.
 */
import { REFUSED_REASON, type RefusedChanges } from './deliver-changes.js';
import { idDigest } from './id-digests.js';
import type { Clock, Project, QuarantinedProject, StateStore } from './ports.js';
import { boundedProjectId } from './project-admission.js';

export interface SetAside {
  readonly project: Project;
  readonly reason: string;
  /**
   * Keep the project to retry it on later runs without a listing: only worth it when the same body can
   * succeed later (a transport's refusal). A project the core refused as it is (too deep, an unusable or
   * clashing id) can only succeed once Midaxo lists it differently, and a too-deep one cannot be stored.
   */
  readonly retryBody: boolean;
}

/** Changes the transport refused for good, as projects to set aside (a deletion keeps nothing to retry). */
export function refusedProjects(refused: RefusedChanges): SetAside[] {
  return refused.map(({ state }) => {
    const id = state.projectId;
    const project: Project = { id, body: state.snapshot ?? {}, numericId: state.numericId === true };
    return { project, reason: REFUSED_REASON, retryBody: state.snapshot !== undefined };
  });
}

export interface QuarantineRegister {
  setAside(entries: readonly SetAside[]): Promise<void>;
  /** Takes out of quarantine those of `projectIds` that were in it: they were just processed. */
  processed(projectIds: readonly string[]): Promise<void>;
  /** Entries whose project was kept, with it, a page at a time: to retry them without a listing. */
  retryable(): AsyncIterable<readonly QuarantinedProject[]>;
  readonly count: number;
  /** Projects set aside by this run. */
  readonly added: number;
  /** The first few set aside by this run, for the run's log line: id (shortened) and reason. */
  readonly newlySetAside: readonly { readonly projectId: string; readonly reason: string }[];
}

/** How many newly set-aside projects a run's summary names; the count says how many there were. */
const NAMED_IN_SUMMARY = 10;
const ID_CHARS_IN_SUMMARY = 100;

export async function openQuarantine(
  store: StateStore,
  processId: string,
  clock: Clock,
  known: number | undefined,
): Promise<QuarantineRegister> {
  // Since when each entry is set aside, by the digest of its id: the register lives as long as the run.
  const entries = new Map<string, string>();
  // Entries that may hold their project: only these make retrying worth reading the store again.
  const mayKeep = new Set<string>();
  if (known !== undefined && known > 0) {
    for await (const page of store.listQuarantine(processId)) {
      for (const entry of page) {
        const key = idDigest(entry.projectId);
        entries.set(key, entry.since);
        if (entry.kept !== false) mayKeep.add(key);
      }
    }
  }
  const keyOf = (projectId: string) => idDigest(boundedProjectId(projectId));
  let added = 0;
  const newlySetAside: { projectId: string; reason: string }[] = [];
  return {
    async setAside(setAside) {
      if (setAside.length === 0) return;
      const now = clock.now().toISOString();
      const updated = setAside.map(({ project, reason, retryBody }) => {
        const since = entries.get(keyOf(project.id)) ?? now;
        const projectId = boundedProjectId(project.id);
        return { projectId, reason, since, ...(retryBody ? { body: project.body } : {}) };
      });
      await store.quarantine(processId, updated);
      for (const entry of updated) {
        const key = idDigest(entry.projectId);
        if (!entries.has(key)) {
          added++;
          if (newlySetAside.length < NAMED_IN_SUMMARY) {
            newlySetAside.push({
              projectId: entry.projectId.slice(0, ID_CHARS_IN_SUMMARY),
              reason: entry.reason,
            });
          }
        }
        entries.set(key, entry.since);
        // This run listed or retried it already; the runs after it read whether the store kept it.
        mayKeep.delete(key);
      }
    },
    async processed(projectIds) {
      if (entries.size === 0) return;
      const released = projectIds.filter((id) => entries.has(keyOf(id)));
      if (released.length === 0) return;
      await store.releaseFromQuarantine(processId, released.map(boundedProjectId));
      for (const id of released) {
        const key = keyOf(id);
        entries.delete(key);
        mayKeep.delete(key);
      }
    },
    retryable: () => (mayKeep.size === 0 ? noPages() : store.keptInQuarantine(processId)),
    get count() {
      return entries.size;
    },
    get added() {
      return added;
    },
    newlySetAside,
  };
}

async function* noPages(): AsyncIterable<readonly QuarantinedProject[]> {}
