/**
 * A local stand-in for the Midaxo Cloud API (node:http on 127.0.0.1, ephemeral port) that behaves as the
 * API overview documents it: client_credentials tokens, `Authorization` without `Bearer`, cursor paging,
 * the update-time filter, the 6 MB response cap and 429 — plus seeded fault injection and observation
 * hooks for tests, the local mode and the benchmark. Both the API and the token endpoint live on one port.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { JsonObject } from '../shared/core/json.js';
import { type ListingSettings, listProjects } from './project-listing.js';
import { cloneJson, createProjectStore } from './project-store.js';
import { createFaultInjector, type InjectedFault } from './sandbox-faults.js';
import { createTokenDesk, SANDBOX_AUDIENCE, type SandboxReply } from './sandbox-tokens.js';
import type {
  MidaxoSandbox,
  MidaxoSandboxOptions,
  SandboxClient,
  SandboxCounters,
  SandboxRequestRecord,
} from './sandbox-types.js';
import { mulberry32 } from './seeded-random.js';

export { SANDBOX_AUDIENCE } from './sandbox-tokens.js';
export type * from './sandbox-types.js';

export const DEFAULT_SANDBOX_CLIENT: SandboxClient = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
};
export const SIX_MEBIBYTES = 6 * 1024 * 1024;

const TOKEN_PATH = '/oauth/token';
const LISTING_PATH = /^\/processes\/([^/]+)\/projects$/;
const MAX_FORM_BYTES = 64 * 1024;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export async function startMidaxoSandbox(options: MidaxoSandboxOptions = {}): Promise<MidaxoSandbox> {
  const clientNow = options.now ?? (() => new Date());
  let skewMs = options.clockSkewMs ?? 0;
  const now = () => new Date(clientNow().getTime() + skewMs);
  const clients = options.clients ?? [DEFAULT_SANDBOX_CLIENT];
  const maxPageSize = options.maxPageSize ?? 100;
  const listing: ListingSettings = {
    maxPageSize,
    defaultPageSize: options.defaultPageSize ?? maxPageSize,
    endCursorOnLastPage: options.endCursorOnLastPage ?? 'cursor',
    itemsKey: options.itemsKey ?? 'data',
    endlessCursors: options.endlessCursors,
  };
  const maxResponseBytes = options.maxResponseBytes ?? SIX_MEBIBYTES;
  const oversizeStatus = options.oversizeStatus ?? 413;
  const logLimit = options.requestLogLimit ?? 10_000;

  const store = createProjectStore(now);
  const tokens = createTokenDesk(clients, options.tokenTtlSeconds ?? 3600, now);
  const faults = createFaultInjector(options.seed ?? 1, options.faults);
  // Its own stream, so adding jitter never changes which requests a seed makes fail.
  const jitter = mulberry32((options.seed ?? 1) ^ 0x6a17_7e12);
  let listingSequence = 0;
  for (const client of clients) for (const processId of client.processIds ?? []) store.addProcess(processId);
  for (const [processId, projects] of Object.entries(options.processes ?? {})) {
    store.addProcess(processId);
    for (const project of projects) store.upsert(processId, project);
  }

  let log: SandboxRequestRecord[] = [];
  let counts = { tokenRequests: 0, listingRequests: 0, projectsReturned: 0, oversizeResponses: 0 };
  let tokensIssuedBefore = 0;

  function record(req: IncomingMessage, url: URL, status: number | null, fault?: InjectedFault): void {
    const entry: Mutable<SandboxRequestRecord> = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status,
    };
    if (fault !== undefined) entry.fault = fault.kind;
    log.push(entry);
    if (log.length > logLimit) log.shift();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname === TOKEN_PATH && req.method === 'POST') {
      counts.tokenRequests += 1;
      const body = await readBody(req);
      const reply =
        body === undefined
          ? { status: 413, body: { error: 'invalid_request', error_description: 'Request body too large' } }
          : tokens.exchange(req.headers['content-type'], body);
      send(res, reply);
      return record(req, url, reply.status);
    }
    const route = LISTING_PATH.exec(url.pathname);
    if (route === null || req.method !== 'GET') {
      send(res, { status: 404, body: { message: 'Not Found' } });
      return record(req, url, 404);
    }
    counts.listingRequests += 1;
    listingSequence += 1;
    await options.beforeListing?.({
      processId: safeDecode(route[1] ?? '') ?? route[1] ?? '',
      query: Object.fromEntries(url.searchParams),
      sequence: listingSequence,
    });
    const fault = faults.next();
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return record(req, url, null, fault);
    }
    const reply = faultReply(fault) ?? answerListing(req, route[1] ?? '', url.searchParams);
    if (options.latency !== undefined) {
      const { perRequestMs, perProjectMs, jitterMs = 0 } = options.latency;
      await delay(perRequestMs + perProjectMs * (reply.projects ?? 0) + Math.floor(jitter() * jitterMs));
    }
    if (fault?.kind === 'truncated' && reply.status === 200) {
      sendTruncated(res, reply.text);
    } else {
      sendText(res, reply.status, reply.text, reply.headers);
      counts.projectsReturned += reply.status === 200 ? (reply.projects ?? 0) : 0;
    }
    record(req, url, reply.status, fault);
  }

  interface ListingReply {
    readonly status: number;
    readonly text: string;
    readonly projects?: number;
    readonly headers?: Record<string, string>;
  }

  function faultReply(fault: InjectedFault | undefined): ListingReply | undefined {
    switch (fault?.kind) {
      case 'rate-limit':
        return {
          status: 429,
          text: JSON.stringify({ message: 'Too Many Requests' }),
          headers: { 'retry-after': fault.retryAfter ?? '1' },
        };
      case 'server-error':
        return { status: 500, text: JSON.stringify({ message: 'Internal server error' }) };
      case 'unauthorized':
        return { status: 401, text: JSON.stringify({ message: 'Unauthorized' }) };
      default:
        return undefined;
    }
  }

  function answerListing(
    req: IncomingMessage,
    encodedProcessId: string,
    query: URLSearchParams,
  ): ListingReply {
    const json = (status: number, body: JsonObject) => ({ status, text: JSON.stringify(body) });
    const authorization = req.headers.authorization;
    const client =
      authorization === undefined || /^bearer\s/i.test(authorization)
        ? undefined
        : tokens.clientOf(authorization);
    if (client === undefined) return json(401, { message: 'Unauthorized' });
    const processId = safeDecode(encodedProcessId);
    if (processId === undefined || !store.hasProcess(processId))
      return json(404, { message: 'Process not found' });
    if (client.processIds !== undefined && !client.processIds.includes(processId)) {
      return json(403, { message: 'Forbidden' });
    }
    const result = listProjects(store.sorted(processId), query, listing);
    if ('error' in result) return json(result.error.status, result.error.body);
    const text = JSON.stringify(result.page.body);
    if (Buffer.byteLength(text) > maxResponseBytes) {
      counts.oversizeResponses += 1;
      return json(oversizeStatus, {
        message: `Response size exceeds the ${maxResponseBytes} byte limit; request fewer items with 'first'`,
      });
    }
    return { status: 200, text, projects: result.page.projects };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed)
        send(res, { status: 500, body: { message: 'Sandbox failure' } });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const apiUrl = `http://127.0.0.1:${port}`;

  return {
    apiUrl,
    authUrl: `${apiUrl}${TOKEN_PATH}`,
    audience: SANDBOX_AUDIENCE,
    clients,
    upsertProject: (processId, project) => store.upsert(processId, project),
    updateProject: (processId, projectId, patch) => store.update(processId, projectId, patch),
    deleteProject: (processId, projectId) => store.delete(processId, projectId),
    projects: (processId) => cloneJson([...store.sorted(processId)]),
    addProcess: (processId) => store.addProcess(processId),
    failNext: (failure) => faults.failNext(failure),
    revokeTokens: () => tokens.revokeAll(),
    setFaults: (rates) => faults.setRates(rates),
    setClockSkew: (ms) => {
      skewMs = ms;
    },
    get requests() {
      return [...log];
    },
    get counters(): SandboxCounters {
      return { ...counts, tokensIssued: tokens.issued - tokensIssuedBefore, faultsInjected: faults.injected };
    },
    resetObservations() {
      log = [];
      counts = { tokenRequests: 0, listingRequests: 0, projectsReturned: 0, oversizeResponses: 0 };
      tokensIssuedBefore = tokens.issued;
      faults.resetCounts();
    },
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

function send(res: ServerResponse, reply: SandboxReply): void {
  sendText(res, reply.status, JSON.stringify(reply.body));
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Half the body, then a clean end: the client receives a 200 whose JSON stops mid-way. */
function sendTruncated(res: ServerResponse, text: string): void {
  if (res.destroyed) return;
  const bytes = Buffer.from(text);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(bytes.subarray(0, Math.floor(bytes.length / 2)));
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
