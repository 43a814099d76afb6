import { describe, expect, it } from 'vitest';
import { createFanOutPublisher, FanOutPublishError } from '../../local/fan-out-publisher.js';
import type { ChangeEvent } from '../../shared/core/change-event.js';
import { RecordingPublisher } from '../fakes/in-memory-ports.js';

const events = [{ id: 'e1' }, { id: 'e2' }] as unknown as ChangeEvent[];

describe('fan-out publisher', () => {
  it('gives every event to every publisher', async () => {
    const stdout = new RecordingPublisher();
    const webhook = new RecordingPublisher();

    await createFanOutPublisher([stdout, webhook]).publish(events);

    expect(stdout.published).toEqual(events);
    expect(webhook.published).toEqual(events);
  });

  it('fails with the failing publisher’s error after the others have published', async () => {
    const stdout = new RecordingPublisher();
    const webhook = new RecordingPublisher();
    webhook.failOnCall = 1;

    await expect(createFanOutPublisher([stdout, webhook]).publish(events)).rejects.toThrow(
      'topic unavailable',
    );
    expect(stdout.published).toEqual(events);
  });

  it('names every failure when several publishers fail', async () => {
    const first = new RecordingPublisher();
    const second = new RecordingPublisher();
    first.failOnCall = 1;
    second.failOnCall = 1;

    const failure = await createFanOutPublisher([first, second])
      .publish(events)
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(FanOutPublishError);
    expect((failure as FanOutPublishError).errors).toHaveLength(2);
  });
});
