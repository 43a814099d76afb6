/**
 * Who holds a process's claim in the local state file: this machine, this process, this session. A
 * claim whose local owner no longer runs (killed, crashed) is taken over at once instead of blocking
 * every later run until its lease expires; one from another machine (a state file on a shared drive)
 * waits for its lease.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

const PREFIX = 'local';

/** The owner name of this session's claims. */
export function localRunOwner(): string {
  return `${PREFIX}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** True when `owner` is a local run of this machine whose process has ended. */
export function isLocalOwnerGone(owner: string): boolean {
  const match = /^local:(.*):(\d+):[0-9a-f]{8}$/.exec(owner);
  if (match === null || match[1] !== hostname()) return false;
  return !isRunning(Number(match[2]));
}

function isRunning(pid: number): boolean {
  try {
    // Signal 0 only asks whether the process exists.
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
