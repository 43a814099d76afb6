import { describe, expect, it } from 'vitest';
import { fitEvent } from '../../shared/core/fit-event.js';
import { EMAIL_LIMITS, renderEmail } from '../../shared/notifications/email-message.js';
import { changeEventOf, FALCON, shortenedFalconUpdate } from './sample-events.js';

describe('renderEmail', () => {
  it('writes an update as project, process and "field: before → after" lines', () => {
    const email = renderEmail(changeEventOf('updated'));

    expect(email.subject).toBe('Midaxo: "Project Falcon" updated (owner, stage)');
    expect(email.body).toBe(
      [
        'Project "Project Falcon" was updated.',
        '',
        'What changed',
        '  owner › id: usr-1001 → usr-1002',
        '  owner › name: Aino Virtanen → James Whitfield',
        '  stage: Screening → Due Diligence',
        '',
        'Process:  proc-emea',
        'Project:  prj-000001',
        'When:     2026-11-27 09:30 UTC',
        `Event id: ${changeEventOf('updated').id}`,
        '',
      ].join('\n'),
    );
  });

  it('renders a project with a 5 MB text field as an email of bounded size, without bidirectional overrides', () => {
    const huge = `\u202e${'Investment memo notes. '.repeat(230_000)}`;
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: huge, description: huge },
      changes: [{ path: `/${huge}`, before: huge, after: `${huge}!` }],
    });

    const email = renderEmail(event);

    expect(email.body.length).toBeLessThan(2_000);
    expect(email.subject.length).toBeLessThan(100);
    expect(email.body + email.subject).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(email.body).toContain('Project "Investment memo notes. Investment memo notes.');
  });

  it('lists a new project’s fields by name and value', () => {
    const { body } = renderEmail(changeEventOf('created'));

    expect(body).toContain('Project "Project Falcon" was created.\n\nFields\n');
    expect(body).toContain('  owner: James Whitfield\n');
    expect(body).toContain('  tags: strategic, cross-border\n');
    expect(body).not.toContain('→');
  });

  it('says a deleted project is no longer listed, naming it from the last snapshot', () => {
    const { body } = renderEmail(changeEventOf('deleted'));

    expect(body).toMatch(/^Project "Project Falcon" was deleted: Midaxo no longer lists it\.\n\nProcess:/);
  });

  it('explains an update whose changed fields cannot be listed', () => {
    const { body } = renderEmail(changeEventOf('updated', { changes: [], diffUnavailable: true }));

    expect(body).toContain('too large to keep, so the changed fields cannot be listed');
  });

  it('shortens long values and caps the list, so the body stays small whatever the project', () => {
    const changes = Array.from({ length: 60 }, (_, n) => ({
      path: `/notes${n}`,
      before: 'x'.repeat(10_000),
      after: 'y'.repeat(10_000),
    }));

    const { body } = renderEmail(changeEventOf('updated', { changes }));

    expect(body).toContain(`  notes0: ${'x'.repeat(119)}… → ${'y'.repeat(119)}…\n`);
    expect(body).toContain('  … and 20 more changes\n');
    expect(body.length).toBeLessThan(12_000);
  });

  it('keeps every change on its own line and carries no links', () => {
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: 'Falcon\nSee https://evil.example' },
      changes: [{ path: '/notes', before: 'a\nb', after: 'c\r\nd' }],
    });

    const { body } = renderEmail(event);

    expect(body).toContain('  notes: a b → c d\n');
    expect(body).toContain('Project "Falcon See https://evil.example" was updated.');
    expect(body).not.toContain(event.source);
  });

  it('notes when the event had to be shortened to fit SNS, and where the rest is', () => {
    const fitted = fitEvent(changeEventOf('updated'), (candidate) => candidate.data.project === null);

    const { body } = renderEmail(fitted);
    expect(body).toContain('This change was shortened to fit the 256 KB message limit');
    expect(body).toContain('The event log keeps the event as sent');
    expect(body).toContain('Project "Project Falcon" was updated.');
  });

  it('writes a shortened event of 12,000 changes with the deal’s name, its first changes and how many more', () => {
    const event = shortenedFalconUpdate();
    const kept = event.data.changes.length;

    const { subject, body } = renderEmail(event);

    expect(event.data.project).toBeNull();
    expect(subject).toMatch(/^Midaxo: "Project Falcon" updated \(customFields\)$/);
    expect(body).toContain('Project "Project Falcon" was updated.');
    expect(body).toContain('  customFields › field00000: old value 0 → new value 0\n');
    expect(body).toContain(`  … and ${12_000 - EMAIL_LIMITS.maxLines} more changes\n`);
    expect(body).toContain(`Only the first ${kept} of 12000 changes are in it.`);
  });
});
