/**
 * Whether a listed project can be processed at all. One that cannot (no usable id, an id too long to
 * carry, nested too deeply for what stores and sends it, an id whose kind clashes with the stored
 * project's) is set aside with the reason, so it never blocks the other projects of its process.
 */
import { createHash } from 'node:crypto';
import { exceedsMaxDepth, MAX_PROJECT_DEPTH } from './json-limits.js';
import type { Project, StoredProject } from './ports.js';

/** Longest project id (characters) an event carries: its source, subject and data all repeat it. */
export const MAX_PROJECT_ID_LENGTH = 8_192;

/** Characters of an over-long id kept beside its hash, for people to recognise it by. */
const LONG_ID_CHARS_KEPT = 200;

/**
 * The id as it may be stored (a quarantine entry, a log line): itself when an event could carry it,
 * else `#long-id:<SHA-256 of the id>:<its first characters>`, so whatever Midaxo sends, what is stored
 * about a project stays a few hundred bytes (DynamoDB refuses items over 400 KB) and still tells the
 * same id apart from any other. The leading `#` cannot be confused with an id: such ids are stand-ins.
 */
export function boundedProjectId(id: string): string {
  if (id.length <= MAX_PROJECT_ID_LENGTH) return id;
  const hash = createHash('sha256').update(id, 'utf8').digest('hex');
  return `#long-id:${hash}:${wholeCharacters(id.slice(0, LONG_ID_CHARS_KEPT))}`;
}

/** A cut may fall between the two halves of a surrogate pair; the lone half is dropped. */
function wholeCharacters(text: string): string {
  return /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text;
}

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
