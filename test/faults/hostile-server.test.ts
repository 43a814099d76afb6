/**
 * A hostile Midaxo through the real handler: a listing that hands out new cursors forever, and error
 * answers that echo the token or the client secret in other encodings, carry terminal escape sequences
 * and run to a megabyte. The run must end, fail only the process concerned, infer nothing from the
 * endless listing, and print nothing long, nothing that moves a cursor, and no secret.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import {
  FAULT_CLIENT,
  type HandlerOverrides,
  type PollerHarness,
  startPollerHarness,
} from './poller-harness.js';
import { everythingIn } from './secret-watch.js';

/** The listing limit, lowered from its 10,000 pages so the endless listing ends within a test. */
vi.mock('../../shared/core/page-stream.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../shared/core/page-stream.js')>();
  return {
    ...actual,
    streamPages: (...[source, request]: Parameters<typeof actual.streamPages>) =>
      actual.streamPages(source, request, { maxPages: 25 }),
  };
});

const PROCESS = 'process-hostile';
const ENDLESS = 'process-endless';
const MiB = 2 ** 20;
const ESCAPES = '\u001b[2J\u001b[H\u001b]0;owned\u0007\u001b[31m';

/** Answers the listing of one process with a page holding a new project and a new cursor, every time. */
function endlessListing(processId: string): HandlerOverrides['wrapFetch'] {
  let served = 0;
  return (inner) => async (input, init) => {
    if (!String(input).includes(`/processes/${processId}/projects`)) return inner(input, init);
    served++;
    const page = {
      data: [{ id: `endless-${served}`, name: `Invented ${served}`, updatedAt: '2026-11-27T07:00:00.000Z' }],
      paging: { endCursor: `cursor-${served}` },
    };
    return Response.json(page);
  };
}

/** What a failed invocation threw, with everything it carries, and what the run logged meanwhile. */
async function failedRun(harness: PollerHarness, event: unknown, overrides: HandlerOverrides) {
  const before = harness.output().length;
  const error = await harness.invoke(event, undefined, harness.createHandler(overrides)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return { error: error as Error, everything: `${everythingIn(error)}\n${harness.output().slice(before)}` };
}

describe('a hostile Midaxo, through the poller handler', () => {
  let harness: PollerHarness;

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [PROCESS]: sampleProjects(5), [ENDLESS]: [] },
    });
  });

  beforeEach(() => {
    harness.clock.advance(120);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('stops a listing that never ends after the page limit, fails that process alone, and keeps its watermark', async () => {
    await harness.invoke(
      { mode: 'poll' },
      undefined,
      harness.createHandler({ wrapFetch: endlessListing('none') }),
    );
    const [first] = harness.sandbox.projects(PROCESS);
    harness.sandbox.updateProject(PROCESS, first?.id ?? '', { stage: 'Signing' });
    harness.clock.advance(120);
    const publishedBefore = harness.sns.accepted.length;
    const endlessWatermark = await harness.watermark(ENDLESS);

    const { error } = await failedRun(harness, { mode: 'poll' }, { wrapFetch: endlessListing(ENDLESS) });

    expect(error.message).toContain('1 of 2 processes failed');
    expect(error.message).toContain(
      `- default/${ENDLESS}: ListingTooLongError: the listing of process ${ENDLESS} went on past 25 pages`,
    );
    const published = harness.sns.accepted.slice(publishedBefore).map((delivery) => delivery.event);
    expect(
      published.filter((event) => event.data.processId === PROCESS).map((event) => event.subject),
    ).toEqual([first?.id]);
    expect(published.filter((event) => event.data.processId === ENDLESS)).toHaveLength(25);
    expect(await harness.watermark(PROCESS)).toBe(harness.clock.now().toISOString());
    expect(await harness.watermark(ENDLESS)).toBe(endlessWatermark);
  });

  it('infers no deletion from a reconcile listing that never ends', async () => {
    const publishedBefore = harness.sns.accepted.length;

    const { error } = await failedRun(harness, { mode: 'reconcile' }, { wrapFetch: endlessListing(ENDLESS) });

    expect(error.message).toContain(`- default/${ENDLESS}: ListingTooLongError`);
    const stored: string[] = [];
    for await (const page of harness.store.listProjects(ENDLESS))
      stored.push(...page.map((p) => p.projectId));
    expect(stored.length).toBeGreaterThan(0);
    expect(harness.sns.accepted.slice(publishedBefore).map((delivery) => delivery.event.type)).not.toContain(
      'com.midaxo.project.deleted',
    );
  });

  it('quotes a megabyte error answer echoing the token short, clean and without the token', async () => {
    const { error, everything } = await failedRun(
      harness,
      { mode: 'poll' },
      {
        wrapFetch: (inner) => async (input, init) => {
          const token = new Headers(init?.headers).get('authorization');
          if (token === null) return inner(input, init);
          const echo = `${ESCAPES}Bad token ${token} / ${Buffer.from(token).toString('base64')} / ${Buffer.from(token).toString('hex')}`;
          return new Response(`${echo}\r\n${'x'.repeat(MiB)}`, { status: 400 });
        },
      },
    );

    expect(error.message).toMatch(
      /request refused \(HTTP 400: Bad token \[redacted\] \/ \[redacted\] \/ \[redacted\] x+…\)/,
    );
    expect(error.message.length).toBeLessThan(2_000);
    expect(everything).not.toContain('\u001b');
    expect(harness.secrets.seen.authorizationValues).toBeGreaterThan(0);
    expect(harness.secrets.leaksIn(everything)).toEqual([]);
  });

  it('quotes an auth server that echoes the client secret in other encodings without any of them', async () => {
    // A new container would otherwise take the token an earlier one cached, and ask for none.
    await harness.forgetCachedTokens();
    const secret = FAULT_CLIENT.clientSecret;
    const basic = Buffer.from(`${FAULT_CLIENT.clientId}:${secret}`).toString('base64');
    const hex = Buffer.from(secret).toString('hex');
    const { error, everything } = await failedRun(
      harness,
      { mode: 'poll' },
      {
        wrapFetch: (inner) => async (input, init) => {
          if (!String(input).endsWith('/oauth/token')) return inner(input, init);
          const description = `${ESCAPES}Basic ${basic}, hex ${hex.toUpperCase()}, cut ${secret.slice(0, 14)}… ${'y'.repeat(5_000)}`;
          return Response.json(
            { error: `invalid_client${ESCAPES}`, error_description: description },
            { status: 401 },
          );
        },
      },
    );

    expect(error.message).toContain(
      'client credentials were rejected (HTTP 401: Basic [redacted], hex [redacted], cut [redacted]',
    );
    expect(error.message.length).toBeLessThan(2_000);
    expect(everything).not.toContain('\u001b');
    expect(harness.secrets.leaksIn(everything)).toEqual([]);
  });
});
