import { describe, expect, it } from 'vitest';
import { parsePollerEvent } from '../../../lambdas/poller/poller-event.js';
import { ConfigError } from '../../../shared/config/config-error.js';

function refusal(event: unknown): string {
  try {
    parsePollerEvent(event);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the payload to be refused');
}

describe('poller invocation payload', () => {
  it.each([
    ['nothing (a manual `aws lambda invoke` without payload)', undefined],
    ['null', null],
    ['an empty object', {}],
  ])('polls every workspace for %s', (_, event) => {
    expect(parsePollerEvent(event)).toEqual({ mode: 'poll' });
  });

  it('reads what the schedules send: a mode and the one workspace to run', () => {
    expect(parsePollerEvent({ mode: 'poll', workspaces: ['acme'] })).toEqual({
      mode: 'poll',
      workspaces: ['acme'],
    });
    expect(parsePollerEvent({ mode: 'reconcile', workspaces: ['acme'] })).toEqual({
      mode: 'reconcile',
      workspaces: ['acme'],
    });
  });

  it('reads a sweep that confirms held deletions, and refuses the confirmation with another mode', () => {
    expect(parsePollerEvent({ mode: 'reconcile', confirmDeletions: true, processIds: ['p1'] })).toEqual({
      mode: 'reconcile',
      confirmDeletions: true,
      processIds: ['p1'],
    });
    expect(parsePollerEvent({ mode: 'reconcile', confirmDeletions: false })).toEqual({ mode: 'reconcile' });
    expect(refusal({ mode: 'poll', confirmDeletions: true })).toContain(
      '- confirmDeletions: only allowed with mode "reconcile"',
    );
    expect(refusal({ mode: 'reconcile', confirmDeletions: 'yes' })).toContain(
      '- confirmDeletions: expected true or false',
    );
  });

  it('restricts a run to process ids, listing each once', () => {
    expect(parsePollerEvent({ mode: 'reconcile', processIds: ['p1', 'p2', 'p1'] })).toEqual({
      mode: 'reconcile',
      processIds: ['p1', 'p2'],
    });
  });

  it('reads a replay range in UTC, whatever the offset it was written with', () => {
    expect(
      parsePollerEvent({
        mode: 'replay',
        since: '2026-11-27T10:00:00+02:00',
        until: '2026-11-27t09:30:00.5z',
        processIds: ['p1'],
      }),
    ).toEqual({
      mode: 'replay',
      since: '2026-11-27T08:00:00.000Z',
      until: '2026-11-27T09:30:00.500Z',
      processIds: ['p1'],
    });
    expect(parsePollerEvent({ mode: 'replay', since: '2026-11-27T10:00:00Z' })).toEqual({
      mode: 'replay',
      since: '2026-11-27T10:00:00.000Z',
    });
  });

  it('names a misspelt key and lists the allowed ones, instead of polling everything', () => {
    expect(refusal({ mode: 'poll', procesIds: ['p1'] })).toBe(
      'Invalid invocation payload:\n' +
        '- (value): unknown key "procesIds"; allowed keys: mode, workspaces, processIds, since, until, confirmDeletions, targets',
    );
  });

  it('names an unknown mode', () => {
    expect(refusal({ mode: 'Poll' })).toContain('- mode: expected "poll", "reconcile", "replay"');
  });

  it.each([
    ['a date without a time', '2026-11-27'],
    ['a time without a zone', '2026-11-27T10:00:00'],
    ['a day that does not exist', '2026-02-30T10:00:00Z'],
    ['a 5-digit year', '+10000-01-01T00:00:00Z'],
    ['a number', 0],
    ['the text "0"', '0'],
  ])('names a malformed since: %s', (_, since) => {
    expect(refusal({ mode: 'replay', since })).toContain(
      '- since: expected an RFC 3339 timestamp with a zone, such as 2026-11-27T10:00:00Z',
    );
  });

  it('requires since for a replay, and a range that does not end before it starts', () => {
    expect(refusal({ mode: 'replay' })).toContain('- since: required for mode "replay"');
    expect(
      refusal({ mode: 'replay', since: '2026-11-27T10:00:00Z', until: '2026-11-27T10:00:00Z' }),
    ).toContain('- until: must be later than since');
  });

  it('refuses since and until outside a replay, naming each', () => {
    const message = refusal({ mode: 'poll', since: '2026-11-27T10:00:00Z', until: '2026-11-28T10:00:00Z' });

    expect(message).toContain('- since: only allowed with mode "replay"');
    expect(message).toContain('- until: only allowed with mode "replay"');
  });

  it('refuses an empty or malformed selection, naming the key', () => {
    expect(refusal({ workspaces: [] })).toContain(
      '- workspaces: expected at least one workspace name; leave the key out for all',
    );
    expect(refusal({ processIds: 'p1' })).toContain('- processIds: expected a list of process ids');
    expect(refusal({ processIds: [''] })).toContain('- processIds.0:');
  });

  it('refuses what is not an object, and cuts a long unknown key short in the message', () => {
    expect(refusal('poll')).toContain('expected a JSON object');
    expect(refusal(['poll'])).toContain('expected a JSON object');

    const message = refusal({ ['x'.repeat(10_000)]: 1 });
    expect(message).toContain(`unknown key "${'x'.repeat(64)}…"`);
    expect(message.length).toBeLessThan(300);
  });
});
