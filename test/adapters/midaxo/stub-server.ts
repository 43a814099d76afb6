/**
 * A tiny HTTP stub for the few cases the sandbox cannot produce (malformed listings, token endpoint outages,
 * a server that never answers, replies of hundreds of megabytes). Every request is answered by the next
 * scripted reply; the last one repeats.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  readonly body?: unknown;
  /** Never answer: the client has to time out. */
  readonly hang?: boolean;
  /** Instead of `body`: this many bytes of filler, streamed as fast as the client reads them. */
  readonly streamBytes?: number;
  /** Send the headers with this `Content-Length`, then nothing: the client must not wait for the body. */
  readonly announceOnly?: number;
}

export interface StubServer {
  readonly url: string;
  /** Paths and queries of the requests received. */
  readonly received: string[];
  /** Body bytes written for each streamed reply by the time its connection closed. */
  readonly streamed: number[];
  close(): Promise<void>;
}

export async function startStubServer(replies: readonly StubReply[]): Promise<StubServer> {
  const received: string[] = [];
  const streamed: number[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    const reply = replies[Math.min(received.length, replies.length - 1)] ?? {};
    received.push(req.url ?? '');
    if (reply.hang === true) return;
    if (reply.announceOnly !== undefined) {
      res.writeHead(reply.status ?? 200, { 'content-length': reply.announceOnly, ...reply.headers });
      res.flushHeaders();
      return;
    }
    if (reply.streamBytes !== undefined) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      streamFiller(res, reply.streamBytes, (bytes) => streamed.push(bytes));
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(text);
  });
  return { ...(await listenOnLoopback(server)), received, streamed };
}

/** Starts `server` on a free loopback port; `close` also ends connections still open. */
export async function listenOnLoopback(
  server: Server,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Writes `total` bytes of JSON-ish filler with backpressure, so only what the client reads gets sent. */
function streamFiller(res: ServerResponse, total: number, onClose: (bytesWritten: number) => void): void {
  const chunk = Buffer.from(`{"data":[${'{"id":"x"},'.repeat(6_500)}`.slice(0, 64 * 1024));
  let written = 0;
  res.once('close', () => onClose(written));
  const pump = () => {
    while (written < total && !res.destroyed) {
      const bytes = Math.min(chunk.length, total - written);
      written += bytes;
      if (!res.write(chunk.subarray(0, bytes))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}
