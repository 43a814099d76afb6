/** The bench's handle on the sandbox child process. */
import type { SandboxCounters, SandboxLatency } from '../../sandbox/midaxo-sandbox.js';
import { forkOperations, type RemoteProcess } from './rpc.js';

export interface SandboxInit {
  /** Sample projects in each process. */
  readonly projects: number;
  readonly processIds: readonly string[];
  readonly clockOffsetMs: number;
  readonly maxPageSize: number;
  readonly latency?: SandboxLatency;
}

/** Where and as whom to reach the sandbox. */
export interface SandboxReady {
  readonly apiUrl: string;
  readonly authUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

// A type alias, not an interface: only aliases are assignable to the index signature of `Operations`.
export type SandboxOperations = {
  /** Edits `count` random projects of a process; returns how many were edited. */
  editProjects(arg: { processId: string; count: number; seed: number }): number;
  counters(arg?: undefined): SandboxCounters;
  resetObservations(arg?: undefined): void;
  advanceClock(arg: { ms: number }): void;
};

export type SandboxProcess = RemoteProcess<SandboxOperations, SandboxReady>;

export function forkSandbox(init: SandboxInit): Promise<SandboxProcess> {
  return forkOperations<SandboxOperations, SandboxReady>(
    new URL('./sandbox-process.ts', import.meta.url),
    init,
  );
}
