import { describe, expect, it } from 'vitest';
import {
  InvalidProjectPageError,
  parseProjectPage,
} from '../../../shared/adapters/midaxo/project-page-schema.js';

describe('parseProjectPage', () => {
  it('takes the one top-level array as the projects, whatever its name, keeping each item whole', () => {
    const item = { id: 'p1', name: 'Falcon', owner: { id: 'u1' } };

    const page = parseProjectPage({ items: [item], paging: { startCursor: 'a', endCursor: 'b' }, total: 1 });

    expect(page).toEqual({ projects: [{ id: 'p1', body: item }], endCursor: 'b' });
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
    ['an item without id', { data: [{ id: 'p1' }, { name: 'x' }], paging: {} }, 'data[1] has no id'],
    ['an item with an empty id', { data: [{ id: '' }], paging: {} }, 'data[0] has no id'],
    ['an item that is not an object', { data: ['p1'], paging: {} }, 'data[0] is not a JSON object'],
  ])('fails clearly on %s', (_, body, message) => {
    expect(() => parseProjectPage(body)).toThrow(InvalidProjectPageError);
    expect(() => parseProjectPage(body)).toThrow(message);
  });
});
