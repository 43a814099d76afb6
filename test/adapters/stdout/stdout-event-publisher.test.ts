import { describe, expect, it } from 'vitest';
import { renderEventText } from '../../../shared/adapters/stdout/render-event.js';
import {
  createStdoutEventPublisher,
  type TextSink,
} from '../../../shared/adapters/stdout/stdout-event-publisher.js';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';
import type { ChangeEvent, FieldChange } from '../../../shared/core/change-event.js';
import type { JsonObject } from '../../../shared/core/json.js';

function event(
  kind: 'created' | 'updated' | 'deleted',
  project: JsonObject | null,
  changes: FieldChange[],
  extra: { diffUnavailable?: boolean } = {},
): ChangeEvent {
  return buildChangeEvent({
    kind,
    sourceBase: 'https://api.app-eu.midaxo.com',
    processId: 'proc-1',
    projectId: 'prj-000007',
    hash: 'abc',
    sequence: 1,
    changes,
    project,
    detectedAt: new Date('2025-05-01T10:00:00Z'),
    ...extra,
  });
}

class MemorySink implements TextSink {
  text = '';
  failWith?: Error;
  write(chunk: string, callback: (error?: Error | null) => void): boolean {
    if (this.failWith) {
      callback(this.failWith);
      return false;
    }
    this.text += chunk;
    callback();
    return true;
  }
}

describe('readable event rendering', () => {
  it('starts with one header line naming the type, project name, project, process and event id', () => {
    const updated = event('updated', { id: 'prj-000007', name: 'Falcon: Merger of Castell Foods' }, [
      { path: '/stage', before: 'Screening', after: 'Due Diligence' },
    ]);

    const [header] = renderEventText(updated).split('\n');

    expect(header).toBe(
      `updated · "Falcon: Merger of Castell Foods" · project prj-000007 · process proc-1 · id ${updated.id}`,
    );
  });

  it('lists each changed field as before → after, nested fields dotted, absent sides as (none)', () => {
    const text = renderEventText(
      event('updated', { id: 'prj-000007' }, [
        { path: '/dealValue/amount', before: 1_000_000, after: 1_250_000 },
        { path: '/tags', before: ['a'], after: ['a', 'b'] },
        { path: '/notes', after: 'new' },
        { path: '/a~1b', before: true },
      ]),
    );

    expect(text.split('\n').slice(1, 5)).toEqual([
      '  dealValue.amount: 1000000 → 1250000',
      '  tags: ["a"] → ["a","b"]',
      '  notes: (none) → "new"',
      '  a/b: true → (none)',
    ]);
  });

  it('shortens long values with an ellipsis', () => {
    const text = renderEventText(
      event('updated', { id: 'prj-000007' }, [{ path: '/description', before: 'x'.repeat(500), after: 'y' }]),
      { maxValueLength: 20 },
    );

    expect(text).toContain(`  description: "${'x'.repeat(18)}… → "y"`);
    expect(text).not.toContain('x'.repeat(20));
  });

  it('leaves the project name out of the header when the project has none', () => {
    const text = renderEventText(event('deleted', null, []));
    expect(text).toBe(
      `deleted · project prj-000007 · process proc-1 · id ${event('deleted', null, []).id}\n`,
    );
  });

  it('says so when the fields cannot be listed because no earlier snapshot was kept', () => {
    const text = renderEventText(event('updated', { id: 'prj-000007' }, [], { diffUnavailable: true }));
    expect(text).toContain('no earlier snapshot was kept');
  });

  it('cannot be made to emit terminal control sequences by project data', () => {
    const text = renderEventText(
      event('updated', { id: 'prj-000007', name: 'Evil\u001b[2J\u001b]0;pwned\u0007 deal' }, [
        { path: '/stage\u001b[31m', before: 'a\u001b[31m', after: 'b' },
      ]),
    );

    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('"Evil[2J]0;pwned deal"');
  });

  it('drops bidirectional overrides, so text cannot read in another order than it is', () => {
    const text = renderEventText(
      event('updated', { id: 'prj-000007', name: 'Falcon \u202egnp.exe\u202c' }, [
        { path: '/stage\u2066', before: '\u2067a', after: 'b\u2069' },
      ]),
    );

    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('"Falcon gnp.exe"');
    expect(text).toContain('  stage: "a" → "b"');
  });

  it('caps a long list of changed fields', () => {
    const changes = Array.from({ length: 30 }, (_, i) => ({ path: `/f${i}`, after: i }));
    const lines = renderEventText(event('created', { id: 'prj-000007' }, changes), { maxFieldLines: 5 })
      .trimEnd()
      .split('\n');

    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toBe('  … and 25 more');
  });
});

describe('stdout publisher', () => {
  const updated = event('updated', { id: 'prj-000007', name: 'Falcon' }, [
    { path: '/stage', before: 'A', after: 'B' },
  ]);
  const created = event('created', { id: 'prj-000007', name: 'Falcon' }, [
    { path: '/name', after: 'Falcon' },
  ]);

  it('prints readable text by default', async () => {
    const sink = new MemorySink();
    await createStdoutEventPublisher({ output: sink }).publish([updated, created]);

    expect(sink.text).toBe(renderEventText(updated) + renderEventText(created));
  });

  it('prints one parseable CloudEvents document per line with the json format', async () => {
    const sink = new MemorySink();
    await createStdoutEventPublisher({ output: sink, format: 'json' }).publish([updated, created]);

    const lines = sink.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => JSON.parse(line))).toEqual([updated, created]);
  });

  it('fails the publish when the output cannot be written', async () => {
    const sink = new MemorySink();
    sink.failWith = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

    await expect(createStdoutEventPublisher({ output: sink }).publish([updated])).rejects.toThrow(/EPIPE/);
  });
});
