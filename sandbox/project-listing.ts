/**
 * `GET /processes/{processId}/projects`: query validation, the update-time filter and cursor paging.
 *
 * The real API's order is undocumented; the sandbox lists by id, and a cursor encodes the last id
 * returned, so the next page is "ids greater than it". Such a cursor stays valid however projects
 * are added, updated or deleted between pages — the behaviour a client must cope with at least.
 */
import type { JsonObject } from '../shared/core/json.js';
import { compareIds } from './project-store.js';
import type { SandboxReply } from './sandbox-tokens.js';
import type { EndCursorOnLastPage, SandboxProject } from './sandbox-types.js';

export interface ListingSettings {
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
  readonly endCursorOnLastPage: EndCursorOnLastPage;
  readonly itemsKey: string;
  /** Fault mode: see `MidaxoSandboxOptions.endlessCursors`. */
  readonly endlessCursors?: boolean;
}

export interface ListingPage {
  readonly body: JsonObject;
  readonly projects: number;
}

export type ListingResult = { readonly page: ListingPage } | { readonly error: SandboxReply };

const CURSOR_PREFIX = 'sandbox-cursor:v1:';
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function listProjects(
  sorted: readonly SandboxProject[],
  query: URLSearchParams,
  settings: ListingSettings,
): ListingResult {
  const first = query.get('first');
  if (first !== null && !/^[1-9]\d*$/.test(first)) return badRequest("'first' must be a positive integer");
  const afterCursor = query.get('after');
  const after = afterCursor === null ? { afterId: '', lap: 0 } : decodeCursor(afterCursor);
  if (after === undefined) return badRequest("'after' is not a cursor this API returned");
  const { afterId } = after;
  const updatedAfter = parseBound(query, 'updatedAfter');
  const updatedBefore = parseBound(query, 'updatedBefore');
  if (Number.isNaN(updatedAfter)) return badRequest(invalidDate('updatedAfter'));
  if (Number.isNaN(updatedBefore)) return badRequest(invalidDate('updatedBefore'));

  const pageSize = Math.min(first === null ? settings.defaultPageSize : Number(first), settings.maxPageSize);
  const inWindow = (project: SandboxProject) => {
    const updatedAt = Date.parse(project.updatedAt);
    return !(
      (updatedAfter !== undefined && !(updatedAt > updatedAfter)) ||
      (updatedBefore !== undefined && !(updatedAt < updatedBefore))
    );
  };
  let { items, hasMore } = pageFrom(sorted, firstIndexAfter(sorted, afterId), pageSize, inWindow);
  if (settings.endlessCursors && items.length === 0)
    ({ items, hasMore } = pageFrom(sorted, 0, pageSize, inWindow));

  const last = items.at(-1);
  const paging: JsonObject = { startCursor: encodeCursor(afterId) };
  if (last === undefined) paging.endCursor = null;
  else if (settings.endlessCursors) paging.endCursor = `${encodeCursor(last.id)}.${after.lap + 1}`;
  else if (hasMore || settings.endCursorOnLastPage === 'cursor') paging.endCursor = encodeCursor(last.id);
  else if (settings.endCursorOnLastPage === 'null') paging.endCursor = null;
  return { page: { body: { [settings.itemsKey]: items, paging }, projects: items.length } };
}

function pageFrom(
  sorted: readonly SandboxProject[],
  start: number,
  pageSize: number,
  inWindow: (project: SandboxProject) => boolean,
): { items: SandboxProject[]; hasMore: boolean } {
  const items: SandboxProject[] = [];
  for (let i = start; i < sorted.length; i++) {
    const project = sorted[i] as SandboxProject;
    if (!inWindow(project)) continue;
    if (items.length === pageSize) return { items, hasMore: true };
    items.push(project);
  }
  return { items, hasMore: false };
}

function encodeCursor(afterId: string): string {
  return Buffer.from(CURSOR_PREFIX + afterId).toString('base64url');
}

/** `lap` counts the pages of an endless listing (the `.<n>` suffix its cursors carry), so each cursor is new. */
function decodeCursor(cursor: string): { afterId: string; lap: number } | undefined {
  const match = /^([A-Za-z0-9_-]+)(?:\.(\d{1,15}))?$/.exec(cursor);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) return undefined;
  return { afterId: decoded.slice(CURSOR_PREFIX.length), lap: Number(match[2] ?? 0) };
}

function firstIndexAfter(sorted: readonly SandboxProject[], afterId: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareIds((sorted[middle] as SandboxProject).id, afterId) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Full ISO-8601 instants with an offset, or plain dates meaning midnight UTC; NaN when neither. */
function parseBound(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const match = DATE_ONLY.exec(value) ?? DATE_TIME.exec(value);
  if (match === null) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) return Number.NaN;
  return Date.parse(value);
}

function invalidDate(name: string): string {
  return `'${name}' must be an ISO-8601 timestamp with offset (2024-11-24T00:00:00Z) or a date (2024-11-24)`;
}

function badRequest(message: string): ListingResult {
  return { error: { status: 400, body: { message } } };
}
