import { describe, expect, it } from 'vitest';
import { failedOutcomes, pollRun } from '../../../shared/core/poll-run.js';
import {
  InMemoryProjectSource,
  InMemoryStateStore,
  ManualClock,
  RecordingPublisher,
} from '../../fakes/in-memory-ports.js';

const settings = {
  overlapSeconds: 300,
  ignoredFields: new Set(['updatedAt']),
  publishBaseline: true,
  sourceBase: 'https://api.app-us.midaxo.com',
};

describe('pollRun', () => {
  it('polls every process of every workspace, and a failing workspace does not stop the others', async () => {
    const clock = new ManualClock(new Date('2026-11-27T12:00:00Z'));
    const healthy = new InMemoryProjectSource();
    healthy.put({ id: 'a', updatedAt: '2026-11-27T11:00:00Z' });
    const publisher = new RecordingPublisher();
    const store = new InMemoryStateStore();
    const deps = { store, processes: store, publisher, clock };

    const summary = await pollRun(
      [
        {
          name: 'broken',
          processIds: ['x'],
          openSource: () => Promise.reject(new Error('secret is malformed')),
        },
        { name: 'acme', processIds: ['p1', 'p2'], openSource: async () => healthy },
      ],
      deps,
      settings,
    );

    expect(summary.processes.map((p) => [p.workspace, p.processId, p.complete])).toEqual([
      ['broken', 'x', false],
      ['acme', 'p1', true],
      ['acme', 'p2', true],
    ]);
    expect(failedOutcomes(summary)).toEqual([
      { workspace: 'broken', processId: 'x', complete: false, error: 'Error: secret is malformed' },
    ]);
    expect(publisher.published).toHaveLength(2);
  });

  it('records a process failure and goes on with the next process', async () => {
    const clock = new ManualClock(new Date('2026-11-27T12:00:00Z'));
    const source = new InMemoryProjectSource();
    source.failOnRequest = 1;
    const store = new InMemoryStateStore();
    const deps = { store, processes: store, publisher: new RecordingPublisher(), clock };

    const summary = await pollRun(
      [{ name: 'w', processIds: ['p1', 'p2'], openSource: async () => source }],
      deps,
      settings,
    );

    expect(summary.processes.map((p) => [p.processId, p.complete, p.error])).toEqual([
      ['p1', false, 'Error: listing failed'],
      ['p2', true, undefined],
    ]);
  });
});
