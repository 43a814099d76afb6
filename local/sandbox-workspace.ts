/**
 * The no-configuration demo source: a local Midaxo sandbox (the one the tests use) filled with sample deals
 * and edited in the background, polled over HTTP with the same adapters as the real API.
 */

import { DEFAULT_SANDBOX_CLIENT, startMidaxoSandbox } from '../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../sandbox/sample-projects.js';
import type { WorkspacePlan } from '../shared/core/poll-run.js';
import type { PageRequest } from '../shared/core/ports.js';
import type { Sleep } from '../shared/support/backoff.js';
import { midaxoWorkspace } from './midaxo-workspace.js';
import { startSandboxEditor } from './sandbox-editor.js';

export const SANDBOX_PROCESS_ID = 'sandbox-demo';
/** Events' `source` must not change with the sandbox's random port: event ids are derived from it. */
export const SANDBOX_SOURCE_BASE = 'https://midaxo-sandbox.invalid';

export interface SandboxWorkspaceOptions {
  readonly projects: number;
  readonly seed: number;
  readonly editEveryMs: number;
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
  /** Starts the background edits; separate so a single `--once` cycle reads a quiet workspace. */
  startEditing(): void;
  close(): Promise<void>;
}

export async function startSandboxWorkspace(options: SandboxWorkspaceOptions): Promise<SandboxWorkspace> {
  const projects = sampleProjects(options.projects);
  const sandbox = await startMidaxoSandbox({
    processes: { [SANDBOX_PROCESS_ID]: projects },
    seed: options.seed,
  });
  let editor: ReturnType<typeof startSandboxEditor> | undefined;
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
        onPage(request.processId, count, fullListing ? (editor?.projectCount ?? projects.length) : undefined);
      }),
  });

  return {
    plan,
    apiUrl: sandbox.apiUrl,
    startEditing() {
      editor ??= startSandboxEditor({
        sandbox,
        processId: SANDBOX_PROCESS_ID,
        projects,
        seed: options.seed,
        everyMs: options.editEveryMs,
        onEdits: options.onEdits,
      });
    },
    async close() {
      editor?.stop();
      await sandbox.close();
    },
  };
}

/**
 * Sample projects are spaced an hour apart from 2024 on, so beyond some twenty thousand of them their
 * `updatedAt` lies in the future, where no update window reaches: they are brought back to now.
 */
