/**
 * Child process: the Midaxo sandbox with the modelled listing latency, holding the bench's sample
 * processes (each with its own copy of the sample projects). It runs apart from the poller so the
 * poller's CPU time and peak memory are its own.
 */
import { z } from 'zod';
import { DEFAULT_SANDBOX_CLIENT, startMidaxoSandbox } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import { editRandomProjects } from '../support/edit-projects.js';
import { createOffsetClock } from '../support/offset-clock.js';
import { serveOperations } from './rpc.js';
import type { SandboxInit, SandboxOperations, SandboxReady } from './sandbox-remote.js';

const initSchema = z.object({
  projects: z.number().int().min(0),
  processIds: z.array(z.string().min(1)).min(1),
  clockOffsetMs: z.number(),
  maxPageSize: z.number().int().positive(),
  latency: z.object({ perRequestMs: z.number().min(0), perProjectMs: z.number().min(0) }).optional(),
}) satisfies z.ZodType<SandboxInit>;

const init = initSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const clock = createOffsetClock(init.clockOffsetMs);
const sandbox = await startMidaxoSandbox({
  now: () => clock.now(),
  processes: Object.fromEntries(init.processIds.map((id) => [id, sampleProjects(init.projects)])),
  maxPageSize: init.maxPageSize,
  ...(init.latency === undefined ? {} : { latency: init.latency }),
});

const operations: SandboxOperations = {
  editProjects: ({ processId, count, seed }) => editRandomProjects(sandbox, processId, count, seed).length,
  counters: () => sandbox.counters,
  resetObservations: () => sandbox.resetObservations(),
  advanceClock: ({ ms }) => clock.advance(ms),
};

serveOperations(operations, {
  apiUrl: sandbox.apiUrl,
  authUrl: sandbox.authUrl,
  clientId: DEFAULT_SANDBOX_CLIENT.clientId,
  clientSecret: DEFAULT_SANDBOX_CLIENT.clientSecret,
} satisfies SandboxReady);
