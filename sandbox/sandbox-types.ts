/**
 * The public shape of the Midaxo sandbox: its options, its data and observation API.
 * Reused by the adapter tests, the poller's end-to-end and fault-injection suites, the local mode and the benchmark.
 */
import type { JsonObject } from '../shared/core/json.js';

export interface SandboxClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Processes this client's tokens may list; any other existing process answers 403. Absent: all processes. */
  readonly processIds?: readonly string[];
}

/** Where the last page's `paging.endCursor` stands; the real API's behaviour here is not documented. */
export type EndCursorOnLastPage = 'cursor' | 'null' | 'absent';

export type FaultKind = 'rate-limit' | 'server-error' | 'reset' | 'truncated' | 'unauthorized';

/** Probabilities (0..1) drawn once per listing request from the seeded PRNG, in this order. */
export interface FaultRates {
  /** 429 with `Retry-After`. */
  readonly rateLimitRate?: number;
  /** 500 with a JSON error body. */
  readonly serverErrorRate?: number;
  /** The socket is destroyed before any response. */
  readonly resetRate?: number;
  /** 200 whose body stops halfway through the JSON and then ends normally. */
  readonly truncatedRate?: number;
  /** `Retry-After` seconds of a 429. @default 1 */
  readonly retryAfterSeconds?: number;
}

export interface FailNextOptions {
  readonly kind: FaultKind;
  /** How many of the next listing requests fail this way. @default 1 */
  readonly count?: number;
  /** `Retry-After` of a rate-limit fault: seconds, or a date sent as an HTTP date. */
  readonly retryAfter?: number | Date;
}

export interface SandboxLatency {
  /** Added to every listing request. */
  readonly perRequestMs: number;
  /** Added per project in the page returned. */
  readonly perProjectMs: number;
  /** Up to this much more per request, drawn from a PRNG seeded by `seed` (apart from the faults'). @default 0 */
  readonly jitterMs?: number;
}

/** A listing request as the `beforeListing` hook sees it. */
export interface ListingHookRequest {
  readonly processId: string;
  /** The query parameters as sent (`first`, `after`, `updatedAfter`, `updatedBefore`). */
  readonly query: Readonly<Record<string, string>>;
  /** 1 for the sandbox's first listing request; never reset. */
  readonly sequence: number;
}

/**
 * Runs before a listing request is answered (and before any fault is drawn for it), so a test can edit,
 * create or delete projects between the pages of one run; the answer waits for a returned promise.
 */
export type ListingHook = (request: ListingHookRequest) => void | Promise<void>;

/** A project as given to the sandbox: any JSON object with a string `id`; `updatedAt` is set when absent. */
export type SandboxProjectInput = JsonObject & { id: string };
export type SandboxProject = JsonObject & { id: string; updatedAt: string };

export interface MidaxoSandboxOptions {
  /** @default one client `sandbox-client` / `sandbox-secret` with access to every process */
  readonly clients?: readonly SandboxClient[];
  /** Projects to start with, per process id. Processes named here or in a client's `processIds` exist from the start. */
  readonly processes?: Readonly<Record<string, readonly SandboxProjectInput[]>>;
  /** @default 3600 */
  readonly tokenTtlSeconds?: number;
  /** Server-side page size cap; a larger `first` is capped silently. @default 100 */
  readonly maxPageSize?: number;
  /** Page size when the request has no `first`. @default maxPageSize */
  readonly defaultPageSize?: number;
  /** A page whose JSON is larger fails with `oversizeStatus`. @default 6 MiB */
  readonly maxResponseBytes?: number;
  /** @default 413 */
  readonly oversizeStatus?: number;
  /** @default 'cursor' (the last page carries its last item's cursor; only the next, empty page ends the listing) */
  readonly endCursorOnLastPage?: EndCursorOnLastPage;
  /** Name of the listing's array. @default 'data' */
  readonly itemsKey?: string;
  /**
   * Fault mode: a server that invents cursors forever. Every page carries a cursor never handed out before,
   * and a cursor past the last project starts the listing over, so the listing never ends. @default false
   */
  readonly endlessCursors?: boolean;
  /** The sandbox's clock: stamps `updatedAt` and expires tokens. Set it apart from the client's to model clock skew. */
  readonly now?: () => Date;
  /**
   * How far the sandbox's clock runs ahead of `now` (negative: behind). The skewed clock stamps `updatedAt`
   * (so the update filter compares against it too) and expires tokens. @default 0
   */
  readonly clockSkewMs?: number;
  readonly latency?: SandboxLatency;
  readonly beforeListing?: ListingHook;
  /** Seed of the fault PRNG. @default 1 */
  readonly seed?: number;
  readonly faults?: FaultRates;
  /** Newest request records kept. @default 10000 */
  readonly requestLogLimit?: number;
}

/** One request as the sandbox saw it; never holds a token, a secret or a request body. */
export interface SandboxRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Null when the connection was reset before any response. */
  readonly status: number | null;
  readonly fault?: FaultKind;
}

export interface SandboxCounters {
  readonly tokenRequests: number;
  readonly tokensIssued: number;
  readonly listingRequests: number;
  /** Projects in complete 200 pages. */
  readonly projectsReturned: number;
  readonly oversizeResponses: number;
  readonly faultsInjected: Readonly<Record<FaultKind, number>>;
}

export interface MidaxoSandbox {
  /** Base URL of the API, e.g. `http://127.0.0.1:41234`. */
  readonly apiUrl: string;
  /** The full token URL. */
  readonly authUrl: string;
  readonly audience: string;
  readonly clients: readonly SandboxClient[];

  /** Creates or replaces a project; stamps `updatedAt` with the sandbox clock unless the project has one. */
  upsertProject(processId: string, project: SandboxProjectInput): SandboxProject;
  /** Merges top-level fields into an existing project and stamps `updatedAt` unless the patch sets it. */
  updateProject(processId: string, projectId: string, patch: JsonObject): SandboxProject;
  /** True when the project existed. */
  deleteProject(processId: string, projectId: string): boolean;
  /** Copies of the process's projects in listing order. */
  projects(processId: string): SandboxProject[];
  /** Makes a process exist, empty, so listing it answers 200 rather than 404. */
  addProcess(processId: string): void;

  /** The next `count` listing requests fail as `kind`, before any random fault. */
  failNext(options: FailNextOptions): void;
  /** Every token issued so far stops working. */
  revokeTokens(): void;
  /** Replaces the random fault rates from the next listing request on; `{}` turns random faults off. */
  setFaults(rates: FaultRates): void;
  /** Sets the skew of the sandbox's clock, as `clockSkewMs` does at start. */
  setClockSkew(skewMs: number): void;

  /** Request log, oldest first. */
  readonly requests: readonly SandboxRequestRecord[];
  readonly counters: SandboxCounters;
  /** Empties the request log and zeroes the counters. */
  resetObservations(): void;

  close(): Promise<void>;
}
