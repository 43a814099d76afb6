/**
 * The demo's "deal team": every few seconds one round of edits to the sandbox (stage moves, hand-overs,
 * revaluations...), and on a fixed rhythm a new deal or a removed one, so the poller has all three kinds
 * of change to notice within its first minute. Each round is drawn from the seed and the round's number,
 * so a demo repeats exactly and a restart goes on where the last run stopped instead of replaying it.
 */

import type { MidaxoSandbox, SandboxProject } from '../sandbox/midaxo-sandbox.js';
import { randomProjectEdit, sampleProject } from '../sandbox/sample-projects.js';
import { intBetween, mulberry32 } from '../sandbox/seeded-random.js';
import type { SandboxChanges } from './saved-sandbox.js';

export interface SandboxEditorOptions {
  readonly sandbox: MidaxoSandbox;
  readonly processId: string;
  /** The projects in the sandbox now; the editor keeps them as its view of the workspace. */
  readonly projects: readonly SandboxProject[];
  readonly seed: number;
  /** Rounds made before (by earlier starts); the next round has this number. */
  readonly editRounds: number;
  /** Index of the next sample project to add. */
  readonly nextIndex: number;
  /** Told what one round changed, to save and log it, e.g. `prj-000155 owner`, `prj-000201 added`. */
  readonly onRound: (changes: SandboxChanges, descriptions: readonly string[]) => void;
}

export interface SandboxEditor {
  /** Projects in the sandbox now. */
  readonly projectCount: number;
  /** Makes one round of edits now. */
  editRound(): void;
  /** Makes a round every `everyMs` until stopped. */
  start(everyMs: number): void;
  stop(): void;
}

/** Every 4th round adds a deal and every 5th removes one, starting early: round 1 adds, round 3 removes. */
const ADD_EVERY = 4;
const ADD_AT = 1;
const REMOVE_EVERY = 5;
const REMOVE_AT = 3;
/** The demo never empties the workspace. */
const MIN_PROJECTS = 5;

export function startSandboxEditor(options: SandboxEditorOptions): SandboxEditor {
  const { sandbox, processId } = options;
  const projects: SandboxProject[] = [...options.projects];
  let round = options.editRounds;
  let nextIndex = options.nextIndex;
  let timer: ReturnType<typeof setInterval> | undefined;

  function editRound(): void {
    const random = mulberry32(roundSeed(options.seed, round));
    const descriptions: string[] = [];
    const upserted = new Map<string, SandboxProject>();
    const removed: string[] = [];
    const edits = Math.min(projects.length, intBetween(random, 1, 3));
    for (let i = 0; i < edits; i++) {
      const index = Math.floor(random() * projects.length);
      const project = projects[index];
      if (project === undefined) continue;
      const edit = randomProjectEdit(project, random);
      const updated = sandbox.updateProject(processId, project.id, edit.patch);
      projects[index] = updated;
      upserted.set(updated.id, updated);
      descriptions.push(`${project.id} ${edit.kind}`);
    }
    if (round % REMOVE_EVERY === REMOVE_AT && projects.length > MIN_PROJECTS) {
      const index = Math.floor(random() * projects.length);
      const [gone] = projects.splice(index, 1);
      if (gone !== undefined) {
        sandbox.deleteProject(processId, gone.id);
        upserted.delete(gone.id);
        removed.push(gone.id);
        descriptions.push(`${gone.id} removed`);
      }
    }
    if (round % ADD_EVERY === ADD_AT) {
      // Without its generated `updatedAt` (months ago), the sandbox stamps it now and the poller's window sees it.
      const { updatedAt: _generated, ...fresh } = sampleProject(nextIndex++);
      const added = sandbox.upsertProject(processId, fresh);
      projects.push(added);
      upserted.set(added.id, added);
      descriptions.push(`${added.id} added`);
    }
    round += 1;
    options.onRound(
      { upserted: [...upserted.values()], removed, editRounds: round, nextIndex },
      descriptions,
    );
  }

  return {
    get projectCount() {
      return projects.length;
    },
    editRound,
    start(everyMs) {
      timer ??= setInterval(editRound, everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Each round its own stream of numbers, so round N is the same whichever start makes it. */
function roundSeed(seed: number, round: number): number {
  return (seed ^ Math.imul(round + 1, 0x9e37_79b1)) >>> 0;
}
