/**
 * Reads an HTTP response body as a stream, never past a byte limit, so a server that sends hundreds of
 * megabytes costs no more memory than the limit. Layer: adapter support.
 */
export interface BoundedBody {
  /** The body, or its first `maxBytes` bytes, decoded as `Response.text()` decodes. */
  readonly text: string;
  /** True when the body went on past `maxBytes`; the rest was not read. */
  readonly overflowed: boolean;
}

/** Reads until the end of the body or `maxBytes`, whichever comes first; past `maxBytes` the stream is cancelled. */
export async function readBodyUpTo(response: Response, maxBytes: number): Promise<BoundedBody> {
  const reader = response.body?.getReader();
  if (reader === undefined) return { text: '', overflowed: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: utf8(chunks, size), overflowed: false };
    const room = maxBytes - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel().catch(() => undefined);
      return { text: utf8(chunks, maxBytes), overflowed: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}

/** The start of a body to quote from in an error; a body that cannot be read reads as empty. */
export async function readBodyStart(response: Response, maxBytes: number): Promise<string> {
  return (await readBodyUpTo(response, maxBytes).catch(() => ({ text: '' }))).text;
}

/** UTF-8, a leading byte order mark dropped, bad bytes replaced: as `Response.text()` decodes. */
function utf8(chunks: readonly Uint8Array[], size: number): string {
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks, size));
}
