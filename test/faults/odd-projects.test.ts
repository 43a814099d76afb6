/**
 * Odd projects through the real handler: fields whose names JavaScript objects treat specially
 * (`__proto__`, `constructor`, the empty name) are data like any other: a change to one of them is
 * announced, at a JSON Pointer that resolves in the snapshot, and an unchanged one stays silent.
 */
import jsonpointer from 'jsonpointer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SandboxProjectInput } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import type { JsonObject } from '../../shared/core/json.js';
import { onlyProcess, type PollerHarness, startPollerHarness } from './poller-harness.js';

const PROCESS = 'process-odd';
const ODD_ID = 'prj-odd';

/** Parsed from text, as the API's JSON would be, so `__proto__` is an own field and not the prototype. */
const parsed = (text: string): JsonObject => JSON.parse(text);

describe('projects with awkwardly named fields, through the poller handler', () => {
  let harness: PollerHarness;

  beforeAll(async () => {
    const odd = parsed(
      `{"id":"${ODD_ID}","updatedAt":"2026-11-27T07:00:00.000Z","__proto__":{"stage":"LOI"},"constructor":"A","":1,"a/b":"x"}`,
    );
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [PROCESS]: [...sampleProjects(3), odd as SandboxProjectInput] },
    });
    await harness.invoke();
  });

  afterAll(async () => {
    await harness.close();
  });

  async function poll() {
    harness.clock.advance(120);
    const before = harness.sns.accepted.length;
    const outcome = onlyProcess(await harness.invoke());
    return { outcome, events: harness.sns.accepted.slice(before).map((delivery) => delivery.event) };
  }

  it('stays silent while the odd project does not change', async () => {
    const { outcome, events } = await poll();

    expect(outcome.complete).toBe(true);
    expect(events).toEqual([]);
  });

  it('announces a change of a field named __proto__ alone', async () => {
    harness.sandbox.updateProject(PROCESS, ODD_ID, parsed('{"__proto__":{"stage":"Signing"}}'));

    const { events } = await poll();

    expect(events.map((event) => event.data.changes)).toEqual([
      [{ path: '/__proto__/stage', before: 'LOI', after: 'Signing' }],
    ]);
  });

  it('lists changes of the fields named constructor and "" at pointers that resolve in the snapshot', async () => {
    harness.sandbox.updateProject(PROCESS, ODD_ID, parsed('{"constructor":"B","":2,"a/b":"y"}'));

    const { events } = await poll();

    const [event] = events;
    expect(event?.data.changes.map((change) => change.path)).toEqual(['/', '/a~1b', '/constructor']);
    for (const change of event?.data.changes ?? [])
      expect(jsonpointer.get(event?.data.project ?? {}, change.path)).toBe(change.after);
  });
});

describe('a project too deep to process and one with a 2,000-character id, through the poller handler', () => {
  const DEEP_PROCESS = 'process-deep';
  const DEEP_ID = 'prj-deep';
  const LONG_ID = `prj-${'x'.repeat(1_996)}`;
  let harness: PollerHarness;

  function nested(depth: number): JsonObject {
    let value: JsonObject = { leaf: 'value' };
    for (let level = 1; level < depth; level++) value = { inner: value };
    return value;
  }

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: {
        [DEEP_PROCESS]: [
          ...sampleProjects(4),
          { id: DEEP_ID, name: 'Deep', stage: 'LOI', updatedAt: '2026-11-27T07:00:00.000Z' },
          { id: LONG_ID, name: 'Long', stage: 'LOI', updatedAt: '2026-11-27T07:00:00.000Z' },
        ],
      },
    });
    await harness.invoke();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('sets the 3,500-level project aside and notifies every other change in the same run', async () => {
    const others = harness.sandbox.projects(DEEP_PROCESS).filter((p) => p.id !== DEEP_ID && p.id !== LONG_ID);
    for (const project of others)
      harness.sandbox.updateProject(DEEP_PROCESS, project.id, { stage: 'Closing' });
    harness.sandbox.updateProject(DEEP_PROCESS, DEEP_ID, { stage: 'Closing', deep: nested(3_500) });
    harness.sandbox.updateProject(DEEP_PROCESS, LONG_ID, { stage: 'Closing' });
    harness.clock.advance(120);
    const before = harness.sns.accepted.length;
    const watermark = await harness.watermark(DEEP_PROCESS);

    const outcome = onlyProcess(await harness.invoke());

    const events = harness.sns.accepted.slice(before).map((delivery) => delivery.event);
    expect(events.map((event) => event.subject).sort()).toEqual([...others.map((p) => p.id), LONG_ID].sort());
    expect(events.every((event) => event.type === 'com.midaxo.project.updated')).toBe(true);
    expect(outcome).toMatchObject({ complete: true, quarantined: 1 });
    expect(Date.parse((await harness.watermark(DEEP_PROCESS)) ?? '')).toBeGreaterThan(
      Date.parse(watermark ?? ''),
    );
  });

  it('takes the project out of quarantine once Midaxo lists it flatter, with the change since its last state', async () => {
    harness.sandbox.updateProject(DEEP_PROCESS, DEEP_ID, { stage: 'Won', deep: nested(3) });
    harness.clock.advance(120);
    const before = harness.sns.accepted.length;

    const outcome = onlyProcess(await harness.invoke());

    const [event] = harness.sns.accepted.slice(before).map((delivery) => delivery.event);
    expect([event?.subject, event?.type]).toEqual([DEEP_ID, 'com.midaxo.project.updated']);
    expect(event?.data.changes.find((change) => change.path === '/stage')).toEqual({
      path: '/stage',
      before: 'LOI',
      after: 'Won',
    });
    expect(outcome.quarantined).toBeUndefined();
  });
});
