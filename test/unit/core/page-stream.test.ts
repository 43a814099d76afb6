import { describe, expect, it } from 'vitest';
import { BrokenListingError } from '../../../shared/core/broken-listing-error.js';
import { ListingTooLongError } from '../../../shared/core/listing-too-long-error.js';
import { MAX_LISTING_PAGES, streamPages } from '../../../shared/core/page-stream.js';
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

/** A server that hands out a new cursor with every page, forever. */
function endlessSource(cursorLength = 8): ProjectSource & { requests: number } {
  const source = {
    requests: 0,
    async fetchPage() {
      source.requests++;
      return page([`p${source.requests}`], String(source.requests).padStart(cursorLength, 'c'));
    },
  };
  return source;
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

  it('fails, without handing over its projects, on a page that carries projects but repeats an earlier cursor', async () => {
    const source = scriptedSource([
      page(['a'], 'c1'),
      page(['b'], 'c2'),
      page(['c'], 'c1'),
      page(['d'], null),
    ]);
    const seen: string[][] = [];

    const error = await (async () => {
      for await (const p of streamPages(source, { processId: 'p' })) seen.push(p.projects.map((x) => x.id));
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BrokenListingError);
    expect((error as Error).message).toBe(
      'the listing of process p is broken: page 3 holds 1 projects but repeats an end cursor the listing ' +
        'already had, so the pages after it cannot be reached; nothing is inferred from it and the next run reads it again',
    );
    expect(seen).toEqual([['a'], ['b']]);
    expect(source.requests).toHaveLength(3);
  });

  it('fails on a first page that hands back the cursor it was asked with, as a resumed listing would see it', async () => {
    const source = scriptedSource([page(['a'], 'resume-here')]);

    const error = await (async () => {
      for await (const _ of streamPages(source, { processId: 'p', after: 'resume-here' })) {
        // nothing to do: the page must not arrive
      }
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BrokenListingError);
  });

  it('ends on an empty page that repeats an earlier cursor: nothing is skipped by it', async () => {
    const source = scriptedSource([page(['a'], 'c1'), page([], 'c1')]);

    expect(await collect(source)).toEqual([['a']]);
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

  it('fails after the last page it may read when a server invents cursors forever', async () => {
    const source = endlessSource();
    const seen: string[] = [];

    const error = await (async () => {
      for await (const p of streamPages(source, { processId: 'p' }, { maxPages: 5 }))
        seen.push(p.projects[0]?.id ?? '');
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ListingTooLongError);
    expect((error as Error).message).toBe(
      'the listing of process p went on past 5 pages, each with a new cursor; stopped there, as a server ' +
        'that never ends a listing would keep the run going forever',
    );
    expect(seen).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(source.requests).toBe(5);
  });

  it(`reads ${MAX_LISTING_PAGES} pages of long cursors by default, and no more`, async () => {
    const source = endlessSource(4_096);
    let pages = 0;

    const error = await (async () => {
      for await (const _ of streamPages(source, { processId: 'p' })) pages++;
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ListingTooLongError);
    expect(pages).toBe(MAX_LISTING_PAGES);
    expect(source.requests).toBe(MAX_LISTING_PAGES);
  });

  it('ends normally when the last page it may read is the last page there is', async () => {
    const source = scriptedSource([page(['a'], 'c1'), page(['b'], null)]);
    const seen: string[] = [];

    for await (const p of streamPages(source, { processId: 'p' }, { maxPages: 2 }))
      seen.push(p.projects[0]?.id ?? '');

    expect(seen).toEqual(['a', 'b']);
  });
});
