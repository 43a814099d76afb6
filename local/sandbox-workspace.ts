/**
 * The no-configuration demo source: the local Midaxo sandbox filled with sample deals and edited in the
 * background, polled over HTTP with the same adapters as the real API. Its deals are kept in the state
 * file (saved-sandbox.ts), so every start goes on from where the last one stopped.
 */

import {
  DEFAULT_SANDBOX_CLIENT,
  type SandboxProject,
  startMidaxoSandbox,
} from '../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../sandbox/sample-projects.js';
import type { WorkspacePlan } from '../shared/core/poll-run.js';
import type { PageRequest } from '../shared/core/ports.js';
import type { Sleep } from '../shared/support/backoff.js';
import { midaxoWorkspace } from './midaxo-workspace.js';
import { startSandboxEditor } from './sandbox-editor.js';
import { openSavedSandbox, type SandboxSetup, type SavedSandbox } from './saved-sandbox.js';
import { UsageError } from './usage-error.js';

export const SANDBOX_PROCESS_ID = 'sandbox-demo';
/** Events' `source` must not change with the sandbox's random port: event ids are derived from it. */
export const SANDBOX_SOURCE_BASE = 'https://midaxo-sandbox.invalid';
export const DEFAULT_SANDBOX_PROJECTS = 200;
export const DEFAULT_SANDBOX_SEED = 1;

export interface SandboxWorkspaceOptions {
  /** The state file, which keeps the sandbox's deals too. */
  readonly statePath: string;
  /** As given on the command line; only a new sandbox is made from them. */
  readonly projects?: number;
  readonly seed?: number;
  readonly fetch: typeof globalThis.fetch;
  readonly sleep: Sleep;
  readonly signal: AbortSignal;
  /** Told of each page read, with the sandbox's size when the listing is a full one. */
  readonly onPage?: (processId: string, projects: number, total?: number) => void;
  readonly onEdits?: (descriptions: readonly string[]) => void;
}

export interface SandboxWorkspace {
  readonly plan: WorkspacePlan;
  readonly apiUrl: string;
  readonly projectCount: number;
  /** True when the sandbox went on from the state file rather than being made from the seed. */
  readonly continued: boolean;
  /** One round of edits now: what changed while the notifier was not running. */
  editRound(): void;
  /** Starts the background edits; separate so the first cycle reads a quiet workspace. */
  startEditing(everyMs: number): void;
  close(): Promise<void>;
}

export async function startSandboxWorkspace(options: SandboxWorkspaceOptions): Promise<SandboxWorkspace> {
  const saved = openSavedSandbox(options.statePath);
  try {
    return await openWorkspace(saved, options);
  } catch (e: unknown) {
    saved.close();
    throw e;
  }
}

async function openWorkspace(
  saved: SavedSandbox,
  options: SandboxWorkspaceOptions,
): Promise<SandboxWorkspace> {
  const kept = saved.setup;
  if (kept !== undefined) refuseOtherSetup(kept, options);
  const setup = kept ?? newSetup(options);
  let projects: SandboxProject[];
  if (kept === undefined) {
    projects = sampleProjects(setup.projects);
    saved.create(setup, SANDBOX_PROCESS_ID, projects);
  } else {
    projects = saved.projects(SANDBOX_PROCESS_ID);
  }
  const sandbox = await startMidaxoSandbox({
    processes: { [SANDBOX_PROCESS_ID]: projects },
    seed: setup.seed,
  });
  const editor = startSandboxEditor({
    sandbox,
    processId: SANDBOX_PROCESS_ID,
    projects,
    seed: setup.seed,
    editRounds: setup.editRounds,
    nextIndex: setup.nextIndex,
    onRound: (changes, descriptions) => {
      saved.save(SANDBOX_PROCESS_ID, changes);
      options.onEdits?.(descriptions);
    },
  });
  const onPage = options.onPage;
  const plan = midaxoWorkspace({
    name: 'sandbox',
    endpoints: { apiUrl: sandbox.apiUrl, authUrl: sandbox.authUrl, audience: sandbox.audience },
    credentials: DEFAULT_SANDBOX_CLIENT,
    processIds: [SANDBOX_PROCESS_ID],
    fetch: options.fetch,
    sleep: options.sleep,
    signal: options.signal,
    onPage:
      onPage &&
      ((request: PageRequest, count: number) => {
        const fullListing = request.window?.updatedAfter === undefined;
        onPage(request.processId, count, fullListing ? editor.projectCount : undefined);
      }),
  });

  return {
    plan,
    apiUrl: sandbox.apiUrl,
    get projectCount() {
      return editor.projectCount;
    },
    continued: kept !== undefined,
    editRound: () => editor.editRound(),
    startEditing: (everyMs) => editor.start(everyMs),
    async close() {
      editor.stop();
      saved.close();
      await sandbox.close();
    },
  };
}

function newSetup(options: SandboxWorkspaceOptions): SandboxSetup {
  const projects = options.projects ?? DEFAULT_SANDBOX_PROJECTS;
  return { seed: options.seed ?? DEFAULT_SANDBOX_SEED, projects, editRounds: 0, nextIndex: projects + 1 };
}

/** --projects and --seed describe a new sandbox; asking for another one than the state file keeps is a mistake. */
function refuseOtherSetup(kept: SandboxSetup, options: SandboxWorkspaceOptions): void {
  const differs =
    (options.projects !== undefined && options.projects !== kept.projects) ||
    (options.seed !== undefined && options.seed !== kept.seed);
  if (!differs) return;
  throw new UsageError(
    `The state file ${options.statePath} keeps a sandbox made with --projects ${kept.projects} --seed ${kept.seed}, ` +
      'and goes on with it so that its state and the sandbox agree. For another sandbox, give another --state ' +
      'path (or delete that file).',
  );
}
