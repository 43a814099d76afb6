/**
 * Listings that end early, through the real handler on DynamoDB Local: an empty page for a process with
 * 40 projects, a page repeating an earlier cursor mid-listing, and a sweep after 30 of 40 projects were
 * really deleted. No false `deleted` event, no watermark moved past changes never read.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import { allOf } from '../adapters/contracts/recorded-changes.js';
import {
  type HandlerOverrides,
  onlyProcess,
  type PollerHarness,
  startPollerHarness,
} from './poller-harness.js';

const PROCESS = 'process-forty';
const DELETED = 'com.midaxo.project.deleted';

/** Answers the process's listing with an empty page, as a client that lost access may see it. */
const emptyListing: HandlerOverrides['wrapFetch'] = (inner) => async (input, init) =>
  String(input).includes(`/processes/${PROCESS}/projects`)
    ? Response.json({ data: [], paging: { endCursor: null } })
    : inner(input, init);

/** Page 2 hands back page 1's cursor, still carrying projects. */
const repeatedCursor: HandlerOverrides['wrapFetch'] = (inner) => {
  let firstCursor: string | undefined;
  return async (input, init) => {
    const url = String(input);
    if (!url.includes(`/processes/${PROCESS}/projects`)) return inner(input, init);
    const answer = await inner(input, init);
    const page = (await answer.json()) as { data: unknown[]; paging: { endCursor?: string | null } };
    if (firstCursor === undefined) firstCursor = page.paging.endCursor ?? undefined;
    else if (page.data.length > 0) page.paging.endCursor = firstCursor;
    return Response.json(page);
  };
};

describe('listings that end early, through the poller handler', () => {
  let harness: PollerHarness;
  const deletedSince = (before: number) =>
    harness.sns.accepted.slice(before).filter((delivery) => delivery.event.type === DELETED);
  const run = async (event: unknown, wrapFetch?: HandlerOverrides['wrapFetch']): Promise<RunSummary> => {
    harness.clock.advance(120);
    return harness.invoke(event, undefined, wrapFetch ? harness.createHandler({ wrapFetch }) : undefined);
  };

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [PROCESS]: sampleProjects(40) },
    });
    await run({ mode: 'poll' });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('publishes no event from a sweep answered with an empty page for a process with 40 projects, and says it held 40', async () => {
    const before = harness.sns.accepted.length;

    const summary = onlyProcess(await run({ mode: 'reconcile' }, emptyListing));

    expect(summary).toMatchObject({ scanned: 0, deleted: 0, published: 0, deletionsHeld: 40 });
    expect(harness.sns.accepted.length).toBe(before);
  });

  it('lets the held projects leave silently once Midaxo lists them again', async () => {
    const before = harness.sns.accepted.length;

    const summary = onlyProcess(await run({ mode: 'reconcile' }));

    expect(summary.deletionsHeld).toBeUndefined();
    expect(harness.sns.accepted.length).toBe(before);
  });

  it('fails a poll whose page 2 repeats page 1 cursor, keeping the watermark for the changes behind it', async () => {
    const projects = harness.sandbox.projects(PROCESS);
    for (const project of projects) harness.sandbox.updateProject(PROCESS, project.id, { stage: 'LOI' });
    const watermark = await harness.watermark(PROCESS);

    const error = await run({ mode: 'poll' }, repeatedCursor).catch((e: unknown) => e);

    expect(String(error)).toContain('BrokenListingError');
    expect(await harness.watermark(PROCESS)).toBe(watermark);
    const next = onlyProcess(await run({ mode: 'poll' }));
    expect(next.complete).toBe(true);
    const updated = new Set(
      harness.sns.accepted
        .filter((delivery) => delivery.event.type === 'com.midaxo.project.updated')
        .map((delivery) => delivery.event.subject),
    );
    expect(updated.size).toBe(40);
  });

  it('infers no deletion from a sweep whose listing repeats a cursor', async () => {
    const before = harness.sns.accepted.length;

    const error = await run({ mode: 'reconcile' }, repeatedCursor).catch((e: unknown) => e);

    expect(String(error)).toContain('BrokenListingError');
    expect(deletedSince(before)).toEqual([]);
  });

  it('holds 30 of 40 projects really deleted until a sweep with confirmDeletions publishes them', async () => {
    const gone = harness.sandbox
      .projects(PROCESS)
      .slice(0, 30)
      .map((project) => project.id);
    for (const id of gone) harness.sandbox.deleteProject(PROCESS, id);
    const before = harness.sns.accepted.length;

    expect(onlyProcess(await run({ mode: 'reconcile' })).deletionsHeld).toBe(30);
    expect(deletedSince(before)).toEqual([]);
    const confirmed = onlyProcess(await run({ mode: 'reconcile', confirmDeletions: true }));

    expect(confirmed).toMatchObject({ deleted: 30 });
    expect(
      deletedSince(before)
        .map((delivery) => delivery.event.subject)
        .sort(),
    ).toEqual([...gone].sort());
    expect(onlyProcess(await run({ mode: 'reconcile' })).deletionsHeld).toBeUndefined();
  });
});

describe('a 450 KB project id, through the poller handler on DynamoDB Local', () => {
  it('sets it aside as a small quarantine item, run after run, while the other projects go on', async () => {
    const processId = 'process-long-id';
    const harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [processId]: sampleProjects(3) },
    });
    const hugeId = `huge-${'x'.repeat(450 * 1024)}`;
    const withHugeId: HandlerOverrides['wrapFetch'] = (inner) => async (input, init) => {
      if (!String(input).includes(`/processes/${processId}/projects`)) return inner(input, init);
      const page = (await (await inner(input, init)).json()) as { data: unknown[] };
      if (!String(input).includes('after=')) page.data.unshift({ id: hugeId, name: 'Huge' });
      return Response.json(page);
    };
    try {
      for (const mode of ['poll', 'poll', 'reconcile']) {
        harness.clock.advance(120);
        const summary = onlyProcess(
          await harness.invoke({ mode }, undefined, harness.createHandler({ wrapFetch: withHugeId })),
        );
        expect(summary).toMatchObject({ complete: true, quarantined: 1 });
      }
      const [entry, ...others] = await allOf(harness.store.listQuarantine(processId));
      expect(others).toEqual([]);
      expect(entry?.projectId).toMatch(/^#long-id:[0-9a-f]{64}:huge-x{195}$/);
      expect(entry?.reason).toBe('id longer than 8192 characters');
    } finally {
      await harness.close();
    }
  });
});
