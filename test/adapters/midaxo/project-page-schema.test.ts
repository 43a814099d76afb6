import { describe, expect, it } from 'vitest';
import {
  InvalidProjectPageError,
  MAX_CURSOR_LENGTH,
  parseProjectPage,
} from '../../../shared/adapters/midaxo/project-page-schema.js';
import { HOSTILE_DEPTH, nestedObjectText } from '../../unit/core/deep-json.js';

describe('parseProjectPage', () => {
  it('takes the one top-level array as the projects, whatever its name, keeping each item whole', () => {
    const item = { id: 'p1', name: 'Falcon', owner: { id: 'u1' } };

    const page = parseProjectPage({ items: [item], paging: { startCursor: 'a', endCursor: 'b' }, total: 1 });

    expect(page).toEqual({ projects: [{ id: 'p1', body: item }], endCursor: 'b' });
  });

  it('takes a page holding exactly as many items as first asked for, and refuses one holding more', () => {
    const items = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `p${i}` }));

    expect(parseProjectPage({ data: items(3), paging: {} }, 3).projects).toHaveLength(3);
    expect(() => parseProjectPage({ data: items(4), paging: {} }, 3)).toThrow(
      new InvalidProjectPageError(
        'the page holds 4 items, more than the 3 asked for (first=3): a server that ignores the page size is ' +
          'not trusted with the listing',
      ),
    );
  });

  it('turns numeric ids into strings', () => {
    expect(parseProjectPage({ data: [{ id: 42 }], paging: {} }).projects[0]?.id).toBe('42');
  });

  it.each([
    ['absent', {}],
    ['null', { endCursor: null }],
    ['not a string', { endCursor: 17 }],
  ])('reads an endCursor that is %s as null', (_, paging) => {
    expect(parseProjectPage({ data: [], paging }).endCursor).toBeNull();
  });

  it.each([
    ['a response that is not an object', [{ id: 'p1' }], 'the response is not a JSON object'],
    ['no array', { paging: {}, count: 0 }, 'found none among keys [paging, count]'],
    ['two arrays', { data: [], included: [], paging: {} }, 'found data, included'],
    ['no paging object', { data: [] }, "no 'paging' object"],
  ])('fails clearly on %s', (_, body, message) => {
    expect(() => parseProjectPage(body)).toThrow(InvalidProjectPageError);
    expect(() => parseProjectPage(body)).toThrow(message);
  });

  it.each([
    ['an item without id', { name: 'x' }, 'has no usable id'],
    ['an item with an empty id', { id: '' }, 'has no usable id'],
    ['an item that is not an object', 'p1', 'is not a JSON object'],
    ['an id beyond 2^53', { id: 2 ** 53 + 2 }, 'JSON cannot carry exactly'],
    ['a fractional id', { id: 1.5 }, 'JSON cannot carry exactly'],
  ])(
    'passes %s on with its problem and a stand-in id, for the core to set aside, beside the others',
    (_, item, problem) => {
      const page = parseProjectPage({ data: [{ id: 'p1' }, item], paging: {} });

      expect(page.projects[0]).toEqual({ id: 'p1', body: { id: 'p1' } });
      expect(page.projects[1]?.id).toMatch(/^#/);
      expect(page.projects[1]?.problem).toContain(problem);
    },
  );

  it('keeps a whole-number id apart from text: 1 comes as "1" marked numeric', () => {
    const page = parseProjectPage({ data: [{ id: 1 }, { id: '1' }, { id: 2 ** 53 - 1 }], paging: {} });

    expect(page.projects.map((project) => [project.id, project.numericId === true])).toEqual([
      ['1', true],
      ['1', false],
      [String(2 ** 53 - 1), true],
    ]);
  });

  it('passes a project nested 10,000 levels deep on as data, for the core to judge', () => {
    const text = `{"data":[{"id":"deep","x":${nestedObjectText(HOSTILE_DEPTH, '1')}},{"id":"flat"}],"paging":{}}`;
    const body = JSON.parse(text);

    const page = parseProjectPage(body);

    expect(page.projects.map((project) => project.id)).toEqual(['deep', 'flat']);
    expect(page.projects[0]?.body).toBe(body.data[0]);
  });

  it('keeps fields named __proto__, constructor and "" as the fields they are', () => {
    const body = JSON.parse('{"data":[{"id":"p1","__proto__":{"x":1},"constructor":2,"":3}],"paging":{}}');

    const project = parseProjectPage(body).projects[0]?.body ?? {};

    expect(Object.keys(project)).toEqual(['id', '__proto__', 'constructor', '']);
    expect(Object.getPrototypeOf(project)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(project, '__proto__')?.value).toEqual({ x: 1 });
  });

  it(`refuses an endCursor longer than ${MAX_CURSOR_LENGTH} characters`, () => {
    const page = (endCursor: string) => ({ data: [{ id: 'p1' }], paging: { endCursor } });

    expect(parseProjectPage(page('c'.repeat(MAX_CURSOR_LENGTH))).endCursor).toHaveLength(MAX_CURSOR_LENGTH);
    expect(() => parseProjectPage(page('c'.repeat(MAX_CURSOR_LENGTH + 1)))).toThrow(
      `paging.endCursor is longer than ${MAX_CURSOR_LENGTH} characters`,
    );
  });

  it('names a few of the keys of a response without an array, cleaned and cut short, however many it has', () => {
    const body: Record<string, number> = { '\u001b[2Jwipe\u001b]0;title\u0007': 0, ['k'.repeat(5_000)]: 1 };
    for (let i = 0; i < 20_000; i++) body[`key${i}`] = i;

    const message = (() => {
      try {
        parseProjectPage(body);
      } catch (e: unknown) {
        return (e as Error).message;
      }
    })();

    expect(message).toMatch(
      /^expected exactly one top-level array of projects, found none among keys \[wipe, k{39}…, key0,/,
    );
    expect(message).toContain(', and 19992 more]');
    expect(message?.length).toBeLessThan(600);
  });
});
