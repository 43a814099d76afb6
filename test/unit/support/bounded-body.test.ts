import { describe, expect, it } from 'vitest';
import { readBodyStart, readBodyUpTo } from '../../../shared/support/bounded-body.js';

/** A response whose body arrives in the given chunks, counting how many of them were pulled. */
function streamed(chunks: readonly Uint8Array[]): { response: Response; pulled: () => number } {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
  return { response: new Response(body), pulled: () => next };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readBodyUpTo', () => {
  it('reads a body up to the limit whole, decoding characters split across chunks', async () => {
    const euro = bytes('€');
    const { response } = streamed([bytes('\ufeffprice: 5'), euro.subarray(0, 1), euro.subarray(1)]);

    expect(await readBodyUpTo(response, 14)).toEqual({ text: 'price: 5€', overflowed: false });
  });

  it('stops at the limit and reads no further chunk', async () => {
    const chunk = new Uint8Array(1024).fill(0x61);
    const { response, pulled } = streamed(Array.from({ length: 1000 }, () => chunk));

    const body = await readBodyUpTo(response, 2048 + 10);

    expect(body.overflowed).toBe(true);
    expect(body.text).toBe('a'.repeat(2058));
    expect(pulled()).toBeLessThan(6);
  });

  it('reads an empty body as empty text', async () => {
    expect(await readBodyUpTo(new Response(null), 10)).toEqual({ text: '', overflowed: false });
  });
});

describe('readBodyStart', () => {
  it('reads a body that fails half-way as empty, for an error message that can do without it', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('partial'));
        controller.error(new Error('socket hang up'));
      },
    });

    expect(await readBodyStart(new Response(body), 100)).toBe('');
  });
});
