import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runPollLoop } from '../../local/poll-loop.js';
import { stoppableFetch, stoppableSleep, stoppableSource } from '../../local/stop-signal.js';
import type { ProjectPage } from '../../shared/core/ports.js';

describe('stopping', () => {
  it('ends a backoff sleep as soon as the stop signal fires', async () => {
    const stop = new AbortController();
    const sleeping = stoppableSleep(stop.signal)(60_000);

    stop.abort();

    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('aborts requests in flight, a body being read included, and starts no new one once stopped', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/slow-body') res.writeHead(200).write('{"partial":');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const stop = new AbortController();
      const fetch = stoppableFetch(stop.signal);
      const response = await fetch(`${url}/slow-body`);
      const body = response.text();
      const waiting = fetch(`${url}/never`, { signal: AbortSignal.timeout(60_000) });

      stop.abort();

      await expect(body).rejects.toMatchObject({ name: 'AbortError' });
      await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
      await expect(fetch(`${url}/never`)).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('gives up a page in flight and starts no new one once stopped', async () => {
    const stop = new AbortController();
    let requests = 0;
    const never = {
      fetchPage: () => {
        requests += 1;
        return new Promise<ProjectPage>(() => {});
      },
    };
    const source = stoppableSource(never, stop.signal);

    const inFlight = source.fetchPage({ processId: 'p1' });
    stop.abort();

    await expect(inFlight).rejects.toMatchObject({ name: 'AbortError' });
    await expect(source.fetchPage({ processId: 'p1' })).rejects.toMatchObject({ name: 'AbortError' });
    expect(requests).toBe(1);
  });
});

describe('poll loop', () => {
  const noWait = async () => {};

  it('runs one cycle with once and says whether it succeeded', async () => {
    const signal = new AbortController().signal;
    const cycles: number[] = [];
    const cycle = async (index: number) => {
      cycles.push(index);
      return false;
    };

    expect(await runPollLoop({ once: true, intervalMs: 1000, signal, sleep: noWait, cycle })).toBe('failed');
    expect(cycles).toEqual([0]);
  });

  it('keeps polling after a failed cycle until stopped, waiting what is left of the interval', async () => {
    const stop = new AbortController();
    const waits: number[] = [];
    let now = 0;
    const cycle = async (index: number) => {
      now += 300;
      if (index === 2) stop.abort();
      return index !== 0;
    };
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };

    const result = await runPollLoop({
      once: false,
      intervalMs: 1000,
      signal: stop.signal,
      sleep,
      now: () => now,
      cycle,
    });

    expect(result).toBe('stopped');
    expect(waits).toEqual([700, 700]);
  });
});
