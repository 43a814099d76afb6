/**
 * The published JSON Schema and the zod schema it is generated from agree: 1,000 events, built by the
 * core and then mutated (one rule broken, or none), get the same verdict from ajv (strict mode, the
 * checked-in file) and from zod, except for the rules docs/events.md lists as beyond JSON Schema,
 * which zod alone refuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/core/change-event.js';
import { fitEvent } from '../../shared/core/fit-event.js';
import { changeEventSchema } from '../../shared/notifications/change-event-schema.js';
import { changeEventOf, shortenedFalconUpdate } from '../notifications/sample-events.js';
import { strictValidator } from './published-schema.js';

type Mutation = (event: ChangeEvent) => unknown;
const withData = (event: ChangeEvent, data: Record<string, unknown>) => ({
  ...event,
  data: { ...event.data, ...data },
});

/** Mutations JSON Schema can state: both schemas must refuse, or both accept. */
const EXPRESSIBLE: Record<string, Mutation> = {
  none: (event) => event,
  zeroSequence: (event) => ({ ...event, sequence: '0'.repeat(20) }),
  yearOne: (event) => ({ ...event, time: '0001-01-01T00:00:00.000Z' }),
  year9999: (event) => ({ ...event, time: '9999-12-31T00:00:00.000Z' }),
  sourceNotUri: (event) => ({ ...event, source: `not a uri/processes/p/projects/${event.subject}` }),
  emptyPath: (event) => withData(event, { changes: [{ path: '', after: 1 }] }),
  changeWithoutSides: (event) => withData(event, { changes: [{ path: '/stage' }] }),
  diffUnavailableWithChanges: (event) =>
    withData(event, { diffUnavailable: true, changes: [{ path: '/stage', before: 1, after: 2 }] }),
  omittedWithoutTruncated: (event) => withData(event, { truncated: undefined, omittedChanges: 3 }),
  nameWithProject: (event) =>
    withData(event, { projectName: 'Falcon', truncated: true, project: { id: event.subject } }),
  longExtension: (event) => ({ ...event, averylongextensionname: 'x' }),
  upperCaseAttribute: (event) => ({ ...event, Sequence: '1' }),
  badPointer: (event) => withData(event, { changes: [{ path: '/a~2', after: 1 }] }),
  zeroOmitted: (event) => withData(event, { truncated: true, omittedChanges: 0 }),
};

/** Mutations only zod can refuse (docs/events.md: "Rules only the zod schema checks"). */
const ZOD_ONLY: Record<string, Mutation> = {
  subjectNotProjectId: (event) => ({ ...event, subject: 'prj-other' }),
  sourceOfOtherProject: (event) => ({ ...event, source: event.source.replace(/[^/]+$/, 'prj-other') }),
  // On an event that lists changes; a deletion or an event without a diff lists none.
  duplicatePath: (event) => {
    const listing = event.data.changes.length > 0 ? event : changeEventOf('updated');
    const [first] = listing.data.changes;
    return withData(listing, { changes: [first, ...listing.data.changes] });
  },
  overSize: (event) => ({ ...event, padding: 'n'.repeat(300 * 1024) }),
};

const bases: ChangeEvent[] = [
  changeEventOf('created'),
  changeEventOf('updated'),
  changeEventOf('deleted'),
  changeEventOf('updated', { changes: [], diffUnavailable: true }),
  fitEvent(changeEventOf('updated'), (candidate) => candidate.data.project === null),
  shortenedFalconUpdate(),
];

describe('the JSON Schema and the zod schema', () => {
  it('agree on 1,000 real and mutated events, but for the rules only zod can check', () => {
    const validate = strictValidator();
    const schema = changeEventSchema();
    const names = [...Object.keys(EXPRESSIBLE), ...Object.keys(ZOD_ONLY)];
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.constantFrom(...names), (base, name) => {
        seen.add(name);
        const zodOnly = name in ZOD_ONLY;
        const mutated = JSON.parse(JSON.stringify((ZOD_ONLY[name] ?? EXPRESSIBLE[name])?.(base)));
        const byZod = schema.safeParse(mutated).success;
        const byAjv = validate(mutated);
        if (zodOnly) {
          expect(byZod, `zod accepts ${name}`).toBe(false);
          expect(byAjv, `ajv now refuses ${name}: move it to EXPRESSIBLE and the docs`).toBe(true);
        } else {
          expect(byAjv, `${name}: ajv and zod disagree`).toBe(byZod);
          expect(byZod, name).toBe(name === 'none' || name === 'longExtension');
        }
      }),
      { numRuns: 1_000, seed: 24 },
    );
    expect(seen.size).toBe(names.length);
  });
});
