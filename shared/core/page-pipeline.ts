/**
 * The stages one listed page goes through:
 *   read stored states → detect → record (the outbox) → publish → remember states → quarantine entries.
 * Each stage takes the pages in listing order, one page at a time, so several pages are in flight at
 * once, each in a different stage: the next page is read and recorded while this one is published and
 * its states stored. What the outbox needs still holds for every change: recorded before it is published,
 * remembered only once published.
 *
 * A project may be listed again on a later page (it changed mid-listing). Its later change is detected
 * against the state its earlier one leaves, taken from the earlier page while that is still in flight
 * (once published, so a change the transport refused leaves the stored state as it was), and it is
 * published and remembered after the earlier one, as each stage keeps the pages' order.
 */
import {
  type DeliveryDependencies,
  type OpenOutbox,
  type PublishOutcome,
  publishRecorded,
  recordForDelivery,
  rememberPublished,
  statesToRemember,
} from './deliver-changes.js';
import { type DetectedChanges, detectChanges, type PollMode } from './detect-changes.js';
import type { Project, StoredProject } from './ports.js';
import { type QuarantineRegister, refusedProjects } from './quarantine-register.js';

export interface PageContext {
  readonly deps: DeliveryDependencies;
  readonly processId: string;
  readonly detection: {
    readonly mode: PollMode;
    readonly publishBaseline: boolean;
    readonly ignoredFields: ReadonlySet<string>;
    readonly sourceBase: string;
  };
  readonly openOutbox: OpenOutbox;
  readonly quarantine: QuarantineRegister;
  /** Called once a page's changes are detected, then once they are published. */
  readonly onDetected: (detected: DetectedChanges) => void;
  readonly onPublished: (outcome: PublishOutcome) => void;
}

export interface PageInFlight {
  readonly ids: ReadonlySet<string>;
  /** The states this page leaves once remembered, known when it is published. */
  readonly states: Promise<readonly StoredProject[]>;
  readonly detected: Promise<unknown>;
  readonly recorded: Promise<unknown>;
  readonly published: Promise<unknown>;
  readonly remembered: Promise<unknown>;
  /** Fulfilled when every stage of the page is done; rejects with the failure of a stage. */
  readonly done: Promise<void>;
  /** Settles when no work of the page is going on any more, whether it failed or not. */
  readonly idle: Promise<void>;
}

/**
 * Starts `projects` on their way through the stages, each stage once `earlier[-1]` (the page before,
 * if still in flight) is through it. `earlier` must be every page still in flight: pages done before
 * were remembered before this page's states are read.
 */
export function startPage(
  context: PageContext,
  projects: readonly Project[],
  earlier: readonly PageInFlight[],
): PageInFlight {
  const { deps, processId } = context;
  // A copy: the caller's list of pages in flight goes on to include this page and later ones.
  const before = [...earlier];
  const previous = before.at(-1);
  const after = (stage: (page: PageInFlight) => Promise<unknown>) =>
    previous === undefined ? Promise.resolve() : stage(previous);
  const ids = new Set(projects.map((project) => project.id));

  const read = deps.store.getProjects(processId, [...ids]);
  const detected = (async () => {
    const [stored] = await Promise.all([read, after((page) => page.detected)]);
    const detection = detectChanges(projects, await withEarlierStates(stored, ids, before), {
      ...context.detection,
      processId,
      detectedAt: deps.clock.now(),
    });
    context.onDetected(detection);
    return detection;
  })();
  const recorded = (async () => {
    const [detection] = await Promise.all([detected, after((page) => page.recorded)]);
    return recordForDelivery(deps, processId, detection.changes, context.openOutbox);
  })();
  const published = (async () => {
    const [changes] = await Promise.all([recorded, after((page) => page.published)]);
    const outcome = await publishRecorded(deps, changes);
    context.onPublished(outcome);
    return outcome;
  })();
  const states = (async () => {
    const [detection, outcome] = await Promise.all([detected, published]);
    return statesToRemember(outcome, detection.silent);
  })();
  const remembered = (async () => {
    const [leftStates, outcome] = await Promise.all([states, published, after((page) => page.remembered)]);
    await rememberPublished(deps, processId, outcome, leftStates);
  })();
  const done = (async () => {
    const [detection, outcome] = await Promise.all([detected, published, remembered, after((p) => p.done)]);
    const setAside = [...detection.setAside, ...refusedProjects(outcome.refused)];
    await context.quarantine.setAside(setAside);
    const aside = new Set(setAside.map((entry) => entry.project.id));
    await context.quarantine.processed([...ids].filter((id) => !aside.has(id)));
  })();
  const stages = [read, detected, recorded, published, states, remembered, done];
  // Each stage is awaited by a later one or by the caller; this keeps node from calling a failure
  // "unhandled" in the meantime.
  for (const stage of stages) stage.catch(() => undefined);
  const idle = Promise.allSettled(stages).then(() => undefined);
  return { ids, states, detected, recorded, published, remembered, done, idle };
}

/** The stored states, with those that earlier pages still in flight leave put over them. */
async function withEarlierStates(
  stored: ReadonlyMap<string, StoredProject>,
  ids: ReadonlySet<string>,
  earlier: readonly PageInFlight[],
): Promise<ReadonlyMap<string, StoredProject>> {
  const sharing = earlier.filter((page) => sharesAnId(page.ids, ids));
  if (sharing.length === 0) return stored;
  const merged = new Map(stored);
  for (const page of sharing) {
    for (const state of await page.states) if (ids.has(state.projectId)) merged.set(state.projectId, state);
  }
  return merged;
}

function sharesAnId(some: ReadonlySet<string>, others: ReadonlySet<string>): boolean {
  for (const id of others) if (some.has(id)) return true;
  return false;
}
