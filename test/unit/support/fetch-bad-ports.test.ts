import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fetchBlockedPort, fetchBlockedPorts } from '../../../shared/support/fetch-bad-ports.js';

/** Why Node.js's own fetch refused a URL: "bad port" for a port it never connects to. */
async function refusalOf(url: string): Promise<string> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return 'answered';
  } catch (e: unknown) {
    const cause = (e as { cause?: { message?: string; code?: string } }).cause;
    return cause?.message === 'bad port' ? 'bad port' : (cause?.code ?? String(e));
  }
}

describe('ports fetch refuses', () => {
  it('are exactly those Node.js’s fetch refuses as bad ports, neighbours included', async () => {
    const listed = fetchBlockedPorts();
    const neighbours = [...new Set(listed.flatMap((port) => [port - 1, port + 1]))].filter(
      (port) => port > 0 && !listed.includes(port),
    );
    // Loopback only: a port fetch takes gets a refused connection (or an answer), never a bad-port error.
    const refusedAsBad = async (ports: readonly number[]) => {
      const outcomes = await Promise.all(ports.map((port) => refusalOf(`http://127.0.0.1:${port}/`)));
      return ports.filter((_, i) => outcomes[i] === 'bad port');
    };

    expect(listed).toContain(9);
    expect(listed).toContain(6000);
    expect(await refusedAsBad(listed)).toEqual(listed);
    expect(await refusedAsBad(neighbours)).toEqual([]);
  });

  it('is read from a URL’s explicit port only: the scheme’s own port is never refused', async () => {
    const server = createServer((_, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(fetchBlockedPort(`http://localhost:${port}/hook`)).toBeUndefined();
      expect(await refusalOf(`http://127.0.0.1:${port}/hook`)).toBe('answered');
    } finally {
      server.close();
    }
    expect(fetchBlockedPort('https://hooks.example.com/a')).toBeUndefined();
    expect(fetchBlockedPort('https://hooks.example.com:443/a')).toBeUndefined();
    expect(fetchBlockedPort('http://localhost:9/hook')).toBe(9);
    expect(fetchBlockedPort('https://hooks.example.com:6667/a')).toBe(6667);
    expect(fetchBlockedPort('not a url')).toBeUndefined();
  });
});
