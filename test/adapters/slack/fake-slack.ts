/**
 * A local HTTP server standing in for Slack's incoming webhooks: it records what it is sent and
 * answers each request with the next scripted reply (the last one repeats), as Slack does:
 * `200 ok`, `429` with `Retry-After`, `5xx`, or an error code such as `400 invalid_blocks`.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackReply {
  readonly status?: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Close the connection without answering, like a dropped network path. */
  readonly drop?: boolean;
  /** Never answer: the client has to time out. */
  readonly hang?: boolean;
}

export interface SlackRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeSlack {
  /** A webhook URL on this server, shaped like Slack's; its path is the part that is secret. */
  readonly webhookUrl: string;
  readonly requests: SlackRequest[];
  reply(...replies: SlackReply[]): void;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = '/services/T0000SECRET/B0000SECRET/xoxSecretToken123';

export async function startFakeSlack(): Promise<FakeSlack> {
  const requests: SlackRequest[] = [];
  let replies: SlackReply[] = [{ status: 200, body: 'ok' }];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)] ?? {};
    if (reply.hang === true) return;
    if (reply.drop === true) {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status ?? 200, { 'content-type': 'text/html', ...reply.headers });
    res.end(reply.body ?? 'ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    requests,
    reply(...next) {
      replies = next;
    },
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
