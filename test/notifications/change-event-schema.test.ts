import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/core/change-event.js';
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
    expect(parsing).toThrow(/type: /);
    expect(parsing).not.toThrow(/secret-ish/);
    const brokenChange = { ...event, data: { ...event.data, changes: [{ before: 'secret-ish' }] } };
    expect(() => parseChangeEvent(JSON.stringify(brokenChange))).toThrow(/data\.changes\.0\.path: /);
  });

  it.each([
    ['a subject other than the project id', (e: ChangeEvent) => ({ ...e, subject: 'other' })],
    ['a sequence that is not 20 digits', (e: ChangeEvent) => ({ ...e, sequence: '7' })],
    ['an extension name with capitals', (e: ChangeEvent) => ({ ...e, traceParent: 'x' })],
    [
      'a pointer with a bad escape',
      (e: ChangeEvent) => ({ ...e, data: { ...e.data, changes: [{ path: '/a~2b', after: 1 }] } }),
    ],
    ['a time with a six-digit year', (e: ChangeEvent) => ({ ...e, time: '+010000-01-01T00:00:00.000Z' })],
  ])('refuses %s', (_, broken) => {
    expect(() => parseChangeEvent(JSON.stringify(broken(changeEventOf('updated'))))).toThrow(
      InvalidChangeEventError,
    );
  });

  it('refuses a created event that lists a before value', () => {
    const created = changeEventOf('created');
    const withBefore = {
      ...created,
      data: { ...created.data, changes: [{ path: '/stage', before: 'x', after: 'y' }] },
    };

    expect(() => parseChangeEvent(JSON.stringify(withBefore))).toThrow(InvalidChangeEventError);
  });

  it('refuses a body that is not JSON', () => {
    expect(() => parseChangeEvent('Project Falcon was updated')).toThrow(/not JSON/);
  });

  it('has a strict variant that refuses attributes the schema does not document', () => {
    const event = { ...changeEventOf('updated'), extra: true };

    expect(strictChangeEventSchema().safeParse(event).success).toBe(false);
    expect(strictChangeEventSchema().safeParse(changeEventOf('updated')).success).toBe(true);
  });
});
