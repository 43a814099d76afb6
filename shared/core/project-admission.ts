/**
 * Whether a listed project can be processed at all. One that cannot (no usable id, an id too long to
 * carry, nested too deeply for what stores and sends it, an id whose kind clashes with the stored
 * project's) is set aside with the reason, so it never blocks the other projects of its process.
 */
import { exceedsMaxDepth, MAX_PROJECT_DEPTH } from './json-limits.js';
import type { Project, StoredProject } from './ports.js';

/** Longest project id (characters) an event carries: its source, subject and data all repeat it. */
export const MAX_PROJECT_ID_LENGTH = 8_192;

/** What is wrong with the project's identity (cheap: asked of every listed project before hashing). */
export function identityProblem(project: Project, stored: StoredProject | undefined): string | undefined {
  if (project.problem !== undefined) return project.problem;
  if (project.id.length > MAX_PROJECT_ID_LENGTH) return `id longer than ${MAX_PROJECT_ID_LENGTH} characters`;
  // Projects stored before ids' kinds were kept say neither, and are taken as they come.
  if (stored?.numericId !== undefined && stored.numericId !== (project.numericId === true)) {
    return stored.numericId
      ? 'id came as text, but a project with the same id came as a number'
      : 'id came as a number, but a project with the same id came as text';
  }
  return undefined;
}

/**
 * What is wrong with the project's shape: asked only of a project that changed, before anything that
 * recurses stores or sends it. Hashing walks any depth, and an unchanged project was admitted before.
 */
export function shapeProblem(project: Project): string | undefined {
  return exceedsMaxDepth(project.body) ? `nested deeper than ${MAX_PROJECT_DEPTH} levels` : undefined;
}
