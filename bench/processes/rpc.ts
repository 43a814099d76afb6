/**
 * Calls between the bench and its child processes over Node's IPC channel: the child serves named
 * operations, the parent calls them and awaits the answer. A child that dies fails every pending call
 * with its exit code instead of leaving the bench waiting.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

// biome-ignore lint/suspicious/noExplicitAny: an operation's argument type is each operation's own.
type Operations = Record<string, (arg: any) => unknown>;

interface CallMessage {
  readonly id: number;
  readonly op: string;
  readonly arg: unknown;
}

type AnswerMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

interface ReadyMessage {
  readonly ready: unknown;
}

export class ChildProcessError extends Error {
  override readonly name = 'ChildProcessError';
}

/** In the child: answers the parent's calls until the parent goes away. */
export function serveOperations(operations: Operations, ready: unknown): void {
  process.on('message', (message: CallMessage) => {
    const operation = operations[message.op];
    const answer = async (): Promise<AnswerMessage> => {
      if (operation === undefined)
        return { id: message.id, ok: false, error: `Unknown operation ${message.op}` };
      try {
        return { id: message.id, ok: true, value: (await operation(message.arg)) ?? null };
      } catch (e: unknown) {
        return { id: message.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      }
    };
    void answer().then((reply) => process.send?.(reply));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready } satisfies ReadyMessage);
}

export interface RemoteProcess<T extends Operations, Ready> {
  readonly ready: Ready;
  readonly pid: number | undefined;
  call<K extends keyof T & string>(op: K, arg: Parameters<T[K]>[0]): Promise<Awaited<ReturnType<T[K]>>>;
  /** Closes the channel, so the child exits, and waits for it to be gone. */
  stop(): Promise<void>;
}

export interface ForkOptions {
  /** Where the child's stdout goes; the poller's metrics lines (EMF) are not for the bench's output. */
  readonly stdout?: 'inherit' | 'ignore';
  /** Node/V8 flags for the child, after the ones it inherits (e.g. `--max-old-space-size=192`). */
  readonly nodeFlags?: readonly string[];
  /** Start the child with this process's flags (under `tsx`, its TypeScript loader). @default true */
  readonly inheritFlags?: boolean;
  /** The node binary to start the child with. @default this process's */
  readonly execPath?: string;
}

/** Starts `entry` (a .ts module next to the caller) with `init` as its argument and waits until it is ready. */
export async function forkOperations<T extends Operations, Ready>(
  entry: URL,
  init: unknown,
  options: ForkOptions = {},
): Promise<RemoteProcess<T, Ready>> {
  // The child starts with this process's execArgv, which under `tsx` loads TypeScript; a child built
  // to JavaScript can start without them.
  const child = fork(fileURLToPath(entry), [JSON.stringify(init)], {
    stdio: ['ignore', options.stdout ?? 'inherit', 'inherit', 'ipc'],
    execArgv: [...(options.inheritFlags === false ? [] : process.execArgv), ...(options.nodeFlags ?? [])],
    ...(options.execPath === undefined ? {} : { execPath: options.execPath }),
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exitError: Error | undefined;

  child.on('exit', (code, signal) => {
    exitError = new ChildProcessError(`${entry.pathname} exited (code ${code}, signal ${signal})`);
    for (const call of pending.values()) call.reject(exitError);
    pending.clear();
  });
  child.on('message', (message: AnswerMessage | ReadyMessage) => {
    if ('ready' in message) return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(new ChildProcessError(`${entry.pathname}: ${message.error}`));
  });

  const ready = await waitForReady<Ready>(child, entry);
  return {
    ready,
    pid: child.pid,
    call(op, arg) {
      if (exitError !== undefined) return Promise.reject(exitError);
      const id = nextId++;
      const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      child.send({ id, op, arg } satisfies CallMessage);
      return answer as Promise<Awaited<ReturnType<T[typeof op]>>>;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

async function waitForReady<Ready>(child: ChildProcess, entry: URL): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !('ready' in message)) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve((message as ReadyMessage).ready as Ready);
    };
    const onExit = (code: number | null) =>
      reject(new ChildProcessError(`${entry.pathname} exited (code ${code}) before it was ready`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
