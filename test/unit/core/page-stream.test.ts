import { describe, expect, it } from 'vitest';
import { streamPages } from '../../../shared/core/page-stream.js';
import type { PageRequest, ProjectPage, ProjectSource } from '../../../shared/core/ports.js';

function scriptedSource(pages: ProjectPage[]): ProjectSource & { requests: PageRequest[] } {
  const requests: PageRequest[] = [];
  return {
    requests,
    async fetchPage(request) {
      requests.push(request);
      return pages[requests.length - 1] ?? { projects: [], endCursor: null };
    },
  };
}

const page = (ids: string[], endCursor: string | null): ProjectPage => ({
  projects: ids.map((id) => ({ id, body: { id } })),
  endCursor,
});

async function collect(source: ProjectSource): Promise<string[][]> {
  const seen: string[][] = [];
  for await (const p of streamPages(source, { processId: 'p' })) seen.push(p.projects.map((x) => x.id));
  return seen;
}

describe('streamPages', () => {
  it('follows end cursors until an empty page', async () => {
    const source = scriptedSource([page(['a', 'b'], 'c1'), page(['c'], 'c2'), page([], 'c3')]);

    expect(await collect(source)).toEqual([['a', 'b'], ['c']]);
    expect(source.requests.map((r) => r.after)).toEqual([undefined, 'c1', 'c2']);
  });

  it('stops when the end cursor is missing', async () => {
    const source = scriptedSource([page(['a'], null), page(['never'], 'x')]);

    expect(await collect(source)).toEqual([['a']]);
    expect(source.requests).toHaveLength(1);
  });

  it('stops on a cursor seen before instead of looping forever', async () => {
    const source = scriptedSource([page(['a'], 'same'), page(['b'], 'same'), page(['c'], 'other')]);

    expect(await collect(source)).toEqual([['a'], ['b']]);
  });

  it('keeps going after a page shorter than asked, since the server may cap page size', async () => {
    const source = scriptedSource([page(['a'], 'c1'), page(['b'], 'c2')]);

    expect(await collect(source)).toEqual([['a'], ['b']]);
  });

  it('asks for the next page before the caller has finished with the current one', async () => {
    const source = scriptedSource([page(['a'], 'c1'), page(['b'], null)]);
    const stream = streamPages(source, { processId: 'p' });

    await stream.next();

    expect(source.requests).toHaveLength(2);
    await stream.return(undefined);
  });
});
