/**
 * The random things that happen to a workspace in the fault-injection suite: deal-team edits, new and
 * deleted projects, between runs and between the pages of one run. Every change goes into the ledger.
 * Each edit carries a fresh `revision`, so no two states of a project are alike and an event's id
 * (derived from the content) names exactly one change.
 */

import type { MidaxoSandbox } from '../../sandbox/midaxo-sandbox.js';
import { randomProjectEdit, sampleProject, sampleProjectId } from '../../sandbox/sample-projects.js';
import type { Random } from '../../sandbox/seeded-random.js';
import type { JsonObject } from '../../shared/core/json.js';
import type { ChangeLedger } from './change-ledger.js';

export interface WorkspaceChaos {
  /** One random edit, create or delete. */
  changeOne(): void;
  changeSome(max: number): void;
}

export interface WorkspaceChaosOptions {
  readonly sandbox: () => MidaxoSandbox;
  readonly processId: string;
  readonly ledger: () => ChangeLedger;
  readonly random: Random;
  /** Below this many projects, deletes turn into creates. @default 10 */
  readonly minProjects?: number;
}

export function createWorkspaceChaos(options: WorkspaceChaosOptions): WorkspaceChaos {
  const { processId, random } = options;
  let revision = 0;
  let created = 0;

  const changeOne = () => {
    const sandbox = options.sandbox();
    const projects = sandbox.projects(processId);
    const project = projects[Math.floor(random() * projects.length)];
    const roll = random();
    if (project !== undefined && roll < 0.7) {
      const { patch } = randomProjectEdit(project, random);
      sandbox.updateProject(processId, project.id, { ...patch, revision: ++revision });
      options.ledger().edited(project.id);
    } else if (project === undefined || roll < 0.85 || projects.length < (options.minProjects ?? 10)) {
      created += 1;
      // Next to an existing id, so new projects land behind and ahead of a listing's cursor alike.
      const id = `${sampleProjectId(1 + Math.floor(random() * 60))}-new-${created}`;
      const body: JsonObject = Object.fromEntries(
        Object.entries(sampleProject(1000 + created)).filter(([key]) => key !== 'updatedAt'),
      );
      sandbox.upsertProject(processId, { ...body, id, revision: ++revision });
      options.ledger().created(id);
    } else {
      sandbox.deleteProject(processId, project.id);
      options.ledger().removed(project.id);
    }
  };

  return {
    changeOne,
    changeSome(max) {
      const count = Math.floor(random() * (max + 1));
      for (let i = 0; i < count; i++) changeOne();
    },
  };
}
