/**
 * Long runs and overlap through the handler: two invocations of one process at once (a slow run meeting
 * the next schedule, or a manual run) publish once between them; and a backfill of a large workspace,
 * cut into many invocations by a budget that runs out after a couple of pages, finishes with every
 * project announced exactly once.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { ListingHookRequest } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import { dwindlingContext, onlyProcess, type PollerHarness, startPollerHarness } from './poller-harness.js';

const PROCESS = 'process-long';
const harnesses: PollerHarness[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: {
  projects: number;
  env?: Record<string, string>;
  pageCap: number;
  beforeListing?: (request: ListingHookRequest) => void | Promise<void>;
}): Promise<PollerHarness> {
  const harness = await startPollerHarness({
    dynamoDbEndpoint: inject('dynamoDbEndpoint'),
    processes: { [PROCESS]: sampleProjects(options.projects) },
    env: options.env,
    sandbox: { maxPageSize: options.pageCap, beforeListing: options.beforeListing },
  });
  harnesses.push(harness);
  return harness;
}

describe('overlapping invocations of one process', () => {
  it('let only one publish; the other returns at once, saying the lease is held', async () => {
    let holdListings: Promise<void> | undefined;
    const harness = await start({ projects: 20, pageCap: 5, beforeListing: () => holdListings });
    await harness.invoke();
    const edited = harness.sandbox.projects(PROCESS).slice(0, 6);
    for (const project of edited) harness.sandbox.updateProject(PROCESS, project.id, { stage: 'Closing' });
    harness.clock.advance(300);
    let release: () => void = () => undefined;
    holdListings = new Promise((resolve) => {
      release = resolve;
    });
    const slow = harness.createHandler();
    const manual = harness.createHandler();

    const runs = [
      harness.invoke({ mode: 'poll' }, undefined, slow),
      harness.invoke({ mode: 'poll' }, undefined, manual),
    ];
    // Whoever took the lease is stuck at its first listing request, so the one to return first is the other.
    const firstBack = await Promise.race(runs);
    release();
    const [slowSummary, manualSummary] = (await Promise.all(runs)) as [RunSummary, RunSummary];

    expect(firstBack.processes).toEqual([
      expect.objectContaining({ processId: PROCESS, skipped: 'lease-held', published: 0, complete: false }),
    ]);
    const outcomes = [slowSummary, manualSummary].map(onlyProcess);
    expect(outcomes.filter((outcome) => outcome.skipped === 'lease-held')).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome.skipped === undefined)).toMatchObject({
      complete: true,
      updated: edited.length,
      published: edited.length,
    });
    const subjects = harness.sns.accepted.map((delivery) => delivery.event.subject);
    expect(subjects.sort()).toEqual(edited.map((project) => project.id).sort());
  });

  it('lets the next run go ahead once the holder has finished', async () => {
    const harness = await start({ projects: 5, pageCap: 5 });
    await Promise.all([harness.invoke(), harness.invoke(undefined, undefined, harness.createHandler())]);
    const [project] = harness.sandbox.projects(PROCESS);
    harness.sandbox.updateProject(PROCESS, project?.id ?? '', { stage: 'Integration' });
    harness.clock.advance(300);

    const summary = await harness.invoke();

    expect(onlyProcess(summary)).toMatchObject({ complete: true, published: 1 });
    expect(onlyProcess(summary).skipped).toBeUndefined();
  });
});

describe('a backfill across invocations with a small time budget', () => {
  it('completes across many invocations, announcing every project once, edits made meanwhile included', async () => {
    const harness = await start({
      projects: 240,
      pageCap: 20,
      env: { PAGE_SIZE: '20', PUBLISH_BASELINE: 'true' },
    });
    harness.sandbox.setFaults({ rateLimitRate: 0.05, serverErrorRate: 0.05, retryAfterSeconds: 0 });
    const summaries: RunSummary[] = [];
    const editedMeanwhile: string[] = [];

    for (let invocation = 0; invocation < 40; invocation++) {
      harness.clock.advance(60);
      // Each invocation sees its budget drop below the reserve after two pages.
      const summary = await harness.invoke({ mode: 'poll' }, dwindlingContext(45_000, 10_000));
      summaries.push(summary);
      if (onlyProcess(summary).complete) break;
      // Edits while the backfill is under way: one already announced, one still ahead of the cursor.
      const projects = harness.sandbox.projects(PROCESS);
      for (const project of [projects[invocation], projects.at(-1 - invocation)]) {
        if (project === undefined || editedMeanwhile.includes(project.id)) continue;
        harness.sandbox.updateProject(PROCESS, project.id, { stage: 'Negotiation', revision: invocation });
        editedMeanwhile.push(project.id);
      }
    }
    harness.clock.advance(60);
    const after = await harness.invoke();

    const outcomes = summaries.map(onlyProcess);
    expect(outcomes.length).toBeGreaterThan(5);
    expect(outcomes.slice(0, -1).every((outcome) => outcome.complete === false)).toBe(true);
    expect(outcomes.slice(1).every((outcome) => outcome.resumed === true)).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ mode: 'baseline', complete: true });
    expect(onlyProcess(after)).toMatchObject({ mode: 'incremental', complete: true });

    const events = harness.sns.accepted.map((delivery) => delivery.event);
    const ids = events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const created = events.filter((event) => event.type === 'com.midaxo.project.created');
    expect(created.map((event) => event.subject).sort()).toEqual(
      harness.sandbox
        .projects(PROCESS)
        .map((project) => project.id)
        .sort(),
    );
    const final = new Map(harness.sandbox.projects(PROCESS).map((project) => [project.id, project]));
    for (const id of editedMeanwhile) {
      const latest = events.filter((event) => event.subject === id).at(-1);
      expect(latest?.data.project).toEqual(final.get(id));
    }
  });
});
