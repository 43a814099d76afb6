/**
 * A tiny HTTP stub for the few cases the sandbox cannot produce (malformed listings, token endpoint outages,
 * a server that never answers). Every request is answered by the next scripted reply; the last one repeats.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  readonly body?: unknown;
  /** Never answer: the client has to time out. */
  readonly hang?: boolean;
}

export interface StubServer {
  readonly url: string;
  /** Paths and queries of the requests received. */
  readonly received: string[];
  close(): Promise<void>;
}

export async function startStubServer(replies: readonly StubReply[]): Promise<StubServer> {
  const received: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    const reply = replies[Math.min(received.length, replies.length - 1)] ?? {};
    received.push(req.url ?? '');
    if (reply.hang === true) return;
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(text);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
