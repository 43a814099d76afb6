import { describe, expect, it } from 'vitest';
import { InvalidChangeEventError } from '../../shared/notifications/change-event-schema.js';
import { forwardToSlack, type SlackPoster } from '../../shared/notifications/forward-to-slack.js';
import type { SlackMessage } from '../../shared/notifications/slack-message.js';
import { changeEventOf } from './sample-events.js';

class RecordingPoster implements SlackPoster {
  readonly posted: SlackMessage[] = [];
  failOnPost?: number;

  async post(message: SlackMessage): Promise<void> {
    if (this.failOnPost === this.posted.length + 1) throw new Error('Slack unavailable');
    this.posted.push(message);
  }
}

describe('forwardToSlack', () => {
  it('posts one Block Kit message per change event, in order', async () => {
    const poster = new RecordingPoster();
    const events = [changeEventOf('created'), changeEventOf('updated')];

    const forwarded = await forwardToSlack(
      events.map((event) => JSON.stringify(event)),
      poster,
    );

    expect(poster.posted.map((message) => message.text)).toEqual([
      'Midaxo: "Project Falcon" created',
      'Midaxo: "Project Falcon" updated (owner, stage)',
    ]);
    expect(forwarded).toEqual(
      events.map((event) => ({ eventId: event.id, type: event.type, projectId: 'prj-000001' })),
    );
  });

  it('fails on a message that is no change event, posting nothing for it', async () => {
    const poster = new RecordingPoster();

    await expect(forwardToSlack(['{"hello":"world"}'], poster)).rejects.toThrow(InvalidChangeEventError);
    expect(poster.posted).toEqual([]);
  });

  it('fails when Slack does not take a message, so the delivery is retried', async () => {
    const poster = new RecordingPoster();
    poster.failOnPost = 1;

    await expect(forwardToSlack([JSON.stringify(changeEventOf('deleted'))], poster)).rejects.toThrow(
      'Slack unavailable',
    );
  });
});
