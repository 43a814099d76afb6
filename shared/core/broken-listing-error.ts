/**
 * A listing answer that looks like an end but cannot be one: a page that still carries projects but
 * hands back a cursor the listing already had. Taken for an end, it would skip the pages after it (a
 * poll would move its watermark past changes never read) or make a sweep take every project behind it
 * for deleted. The listing fails like any failed listing: nothing is inferred from it, the watermark
 * stays, and the next run reads it again.
 */
export class BrokenListingError extends Error {
  override readonly name = 'BrokenListingError';
}
