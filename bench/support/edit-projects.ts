/**
 * The change between the baseline and the measured run: `count` distinct projects, chosen and edited
 * by a seeded PRNG, each with an edit a deal team would make (stage, owner, value, tags...).
 */
import type { MidaxoSandbox } from '../../sandbox/midaxo-sandbox.js';
import { randomProjectEdit } from '../../sandbox/sample-projects.js';
import { mulberry32 } from '../../sandbox/seeded-random.js';

export function editRandomProjects(
  sandbox: Pick<MidaxoSandbox, 'projects' | 'updateProject'>,
  processId: string,
  count: number,
  seed: number,
): string[] {
  const random = mulberry32(seed);
  const projects = sandbox.projects(processId);
  if (count > projects.length) {
    throw new RangeError(`Cannot edit ${count} projects: process ${processId} has ${projects.length}`);
  }
  // A partial Fisher-Yates shuffle: the first `count` places end up holding a uniform random choice.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (projects.length - i));
    [projects[i], projects[j]] = [
      projects[j] as (typeof projects)[number],
      projects[i] as (typeof projects)[number],
    ];
  }
  const chosen = projects.slice(0, count);
  for (const project of chosen)
    sandbox.updateProject(processId, project.id, randomProjectEdit(project, random).patch);
  return chosen.map((project) => project.id);
}
