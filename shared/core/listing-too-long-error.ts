/**
 * A listing went on past MAX_LISTING_PAGES, each page with a cursor not seen before: a server that
 * invents cursors without end. The scan fails like any failed listing: nothing is inferred from it.
 */
export class ListingTooLongError extends Error {
  override readonly name = 'ListingTooLongError';
}
