/**
 * Fixed-size digests of ids and cursors, for bookkeeping that lasts a whole listing (which ids were
 * listed, which cursors were seen): memory then grows with the number of ids, never with their length,
 * whatever a server sends. A digest is 16 bytes of SHA-256 held as a 16-character one-byte string.
 *
 * Two ids sharing a digest (odds about 1 in 2^128 per pair) could only make a listed id stand for an
 * unlisted one, so the sweep would miss a deletion; it could never invent one.
 */
import { createHash } from 'node:crypto';

export function idDigest(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest().toString('latin1', 0, 16);
}

/** A set of ids held by their digests. */
export class IdDigestSet {
  readonly #digests = new Set<string>();

  add(id: string): void {
    this.#digests.add(idDigest(id));
  }

  addAll(ids: Iterable<string>): void {
    for (const id of ids) this.add(id);
  }

  has(id: string): boolean {
    return this.#digests.has(idDigest(id));
  }

  get size(): number {
    return this.#digests.size;
  }
}
