import { describe, expect, it } from 'vitest';
import { MAX_SUBJECT_LENGTH, subjectLine, toAscii } from '../../shared/notifications/subject-line.js';
import { changeEventOf, FALCON } from './sample-events.js';

describe('subjectLine', () => {
  it('names the project, the kind of change and the changed fields', () => {
    expect(subjectLine(changeEventOf('updated'))).toBe('Midaxo: "Project Falcon" updated (owner, stage)');
    expect(subjectLine(changeEventOf('created'))).toBe('Midaxo: "Project Falcon" created');
    expect(subjectLine(changeEventOf('deleted'))).toBe('Midaxo: "Project Falcon" deleted');
  });

  it('uses the project id when the project has no name', () => {
    expect(subjectLine(changeEventOf('deleted', { project: null }))).toBe('Midaxo: "prj-000001" deleted');
  });

  it('stays under 100 characters on one line, listing as many fields as fit', () => {
    const fields = Array.from({ length: 30 }, (_, n) => `customField${n}`);
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: `Project\nFalcon ${'very long name '.repeat(10)}` },
      changes: fields.map((field) => ({ path: `/${field}`, before: 1, after: 2 })),
    });

    const subject = subjectLine(event);

    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toMatch(
      /^Midaxo: "Project Falcon very long name .*\.\.\." updated \(customField0, .*\+\d+ more\)$/,
    );
  });

  it('is printable ASCII as documented, shortened names included', () => {
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: `Société\u202e ${'Ünïcödé '.repeat(20)}` },
      changes: [{ path: `/${'fïeld'.repeat(40)}`, before: 1, after: 2 }],
    });

    expect(subjectLine(event)).toMatch(/^[\x20-\x7e]+$/);
    expect(subjectLine(event)).toContain('"Societe Unicode Unicode');
  });

  it('counts the changed fields when not even one name fits', () => {
    const field = `a${'b'.repeat(60)}`;
    const event = changeEventOf('updated', {
      project: { ...FALCON, name: 'n'.repeat(80) },
      changes: [field, `${field}2`].map((name) => ({ path: `/${name}`, before: 1, after: 2 })),
    });

    expect(subjectLine(event)).toMatch(/\.\.\." updated \(2 fields\)$/);
  });

  it('folds the email subject to ASCII and keeps accents where Slack shows it', () => {
    const event = changeEventOf('created', { project: { ...FALCON, name: 'Société Générale – Müller' } });

    expect(subjectLine(event)).toBe('Midaxo: "Societe Generale - Muller" created');
    expect(subjectLine(event, { asciiOnly: false })).toBe('Midaxo: "Société Générale – Müller" created');
  });

  it('falls back to the id when the name has nothing readable in ASCII', () => {
    const event = changeEventOf('created', { project: { ...FALCON, name: '鷹プロジェクト' } });

    expect(subjectLine(event)).toBe('Midaxo: "prj-000001" created');
  });

  it('spells out letters without an ASCII base and marks the rest', () => {
    expect(toAscii('Øresund Straße “Æ” 東')).toBe('Oresund Strasse "AE" ?');
  });
});
