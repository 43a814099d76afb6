import { describe, expect, it } from 'vitest';
import {
  InvalidChangeEventError,
  parseChangeEvent,
  strictChangeEventSchema,
} from '../../shared/notifications/change-event-schema.js';
import { changeEventOf } from './sample-events.js';

describe('parseChangeEvent', () => {
  it('reads back every kind of event the core builds', () => {
    for (const kind of ['created', 'updated', 'deleted'] as const) {
      const event = changeEventOf(kind);
      expect(parseChangeEvent(JSON.stringify(event))).toEqual(event);
    }
  });

  it('ignores attributes it does not know, as CloudEvents consumers must', () => {
    const event = {
      ...changeEventOf('updated'),
      traceparent: '00-abc',
      data: { ...changeEventOf('updated').data, extra: 1 },
    };

    expect(parseChangeEvent(JSON.stringify(event)).id).toBe(event.id);
  });

  it('names what is wrong by path, without echoing project values', () => {
    const event = changeEventOf('updated');
    const broken = {
      ...event,
      type: 'com.midaxo.project.moved',
      data: { ...event.data, changes: [{ before: 'secret-ish' }] },
    };

    const parsing = () => parseChangeEvent(JSON.stringify(broken));

    expect(parsing).toThrow(InvalidChangeEventError);
    expect(parsing).toThrow(/type: .*data\.changes\.0\.path: /);
    expect(parsing).not.toThrow(/secret-ish/);
  });

  it('refuses a body that is not JSON', () => {
    expect(() => parseChangeEvent('Project Falcon was updated')).toThrow(/not JSON/);
  });

  it('has a strict variant that refuses attributes the schema does not document', () => {
    const event = { ...changeEventOf('updated'), extra: true };

    expect(strictChangeEventSchema.safeParse(event).success).toBe(false);
    expect(strictChangeEventSchema.safeParse(changeEventOf('updated')).success).toBe(true);
  });
});
