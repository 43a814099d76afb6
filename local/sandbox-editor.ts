/**
 * The demo's "deal team": every few seconds it edits a few random sandbox projects (stage moves, hand-overs,
 * revaluations...) and now and then adds a new one, so the poller has changes to notice. Seeded, so a demo
 * run repeats exactly.
 */

import type { MidaxoSandbox } from '../sandbox/midaxo-sandbox.js';
import { randomProjectEdit, type SampleProject, sampleProject } from '../sandbox/sample-projects.js';
import { intBetween, mulberry32 } from '../sandbox/seeded-random.js';
import type { JsonObject } from '../shared/core/json.js';

export interface SandboxEditorOptions {
  readonly sandbox: MidaxoSandbox;
  readonly processId: string;
  /** The projects the sandbox started with; the editor keeps them as its view of the workspace. */
  readonly projects: readonly SampleProject[];
  readonly seed: number;
  readonly everyMs: number;
  /** Told what was edited, e.g. to log it. */
  readonly onEdits?: (descriptions: readonly string[]) => void;
}

export interface SandboxEditor {
  /** Projects in the sandbox now, the added ones included. */
  readonly projectCount: number;
  stop(): void;
}

const NEW_PROJECT_CHANCE = 0.15;

export function startSandboxEditor(options: SandboxEditorOptions): SandboxEditor {
  const { sandbox, processId } = options;
  const random = mulberry32(options.seed);
  const projects: JsonObject[] = [...options.projects];
  let nextIndex = projects.length + 1;

  function editSome(): void {
    const descriptions: string[] = [];
    const edits = Math.min(projects.length, intBetween(random, 1, 3));
    for (let i = 0; i < edits; i++) {
      const index = Math.floor(random() * projects.length);
      const project = projects[index];
      if (project === undefined || typeof project.id !== 'string') continue;
      const edit = randomProjectEdit(project, random);
      projects[index] = sandbox.updateProject(processId, project.id, edit.patch);
      descriptions.push(`${project.id} ${edit.kind}`);
    }
    if (random() < NEW_PROJECT_CHANCE) {
      // Without its generated `updatedAt` (months ago), the sandbox stamps it now and the poller's window sees it.
      const { updatedAt: _generated, ...fresh } = sampleProject(nextIndex++);
      projects.push(sandbox.upsertProject(processId, fresh));
      descriptions.push(`${fresh.id} added`);
    }
    options.onEdits?.(descriptions);
  }

  const timer = setInterval(editSome, options.everyMs);
  timer.unref();
  return {
    get projectCount() {
      return projects.length;
    },
    stop: () => clearInterval(timer),
  };
}
