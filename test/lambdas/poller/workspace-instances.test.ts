/**
 * EU and US workspaces in one deployment, through the real handler and the workspace list the stack
 * stores: each workspace lists from its own instance's API with its own token endpoint, and its events
 * name that API as their `source`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type MidaxoSandbox, startMidaxoSandbox } from '../../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import {
  FAULT_CLIENT,
  type PollerHarness,
  SECRET_ID,
  startPollerHarness,
} from '../../faults/poller-harness.js';

describe('workspaces on different Midaxo instances in one poller', () => {
  let harness: PollerHarness;
  let us: MidaxoSandbox;

  beforeAll(async () => {
    // The harness's own sandbox stands for the deployment's instance (EU), this one for the US instance.
    us = await startMidaxoSandbox({
      clients: [{ ...FAULT_CLIENT, processIds: ['us-1'] }],
      processes: { 'us-1': sampleProjects(2) },
    });
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { 'eu-1': sampleProjects(3) },
      env: { PUBLISH_BASELINE: 'true' },
      storedWorkspaces: [
        { name: 'acme-eu', secretId: SECRET_ID, processIds: ['eu-1'] },
        {
          name: 'acme-us',
          secretId: SECRET_ID,
          processIds: ['us-1'],
          instance: 'us',
          apiUrl: us.apiUrl,
          authUrl: us.authUrl,
        },
      ],
    });
  });

  afterAll(async () => {
    await harness.close();
    await us.close();
  });

  it("lists each workspace from its own instance and names that instance's API as the events' source", async () => {
    harness.sns.startRun(1);

    const summary = await harness.invoke({ mode: 'poll' });

    expect(summary.processes.map((outcome) => [outcome.processId, outcome.error])).toEqual([
      ['eu-1', undefined],
      ['us-1', undefined],
    ]);
    const listed = (sandbox: MidaxoSandbox) =>
      new Set(
        sandbox.requests.map((request) => request.path).filter((path) => path.startsWith('/processes/')),
      );
    expect(listed(harness.sandbox)).toEqual(new Set(['/processes/eu-1/projects']));
    expect(listed(us)).toEqual(new Set(['/processes/us-1/projects']));
    expect(harness.sandbox.counters.tokenRequests).toBe(1);
    expect(us.counters.tokenRequests).toBe(1);
    const sources = new Set(
      harness.sns.acceptedIn(1).map(({ event }) => event.source.split('/processes/')[0]),
    );
    expect(sources).toEqual(new Set([harness.sandbox.apiUrl, us.apiUrl]));
    const usEvents = harness.sns.acceptedIn(1).filter(({ event }) => event.data.processId === 'us-1');
    expect(usEvents.map(({ event }) => event.source)).toEqual(
      usEvents.map(({ event }) => `${us.apiUrl}/processes/us-1/projects/${event.data.projectId}`),
    );
  });
});
