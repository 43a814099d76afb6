/**
 * What a publisher throws when it delivered some of the events it was given but not all. The core
 * then records the delivered ones, so the next run re-publishes only what was really missing.
 */
export class PartialPublishError extends Error {
  override name = 'PartialPublishError';

  constructor(
    message: string,
    /** Ids of the events that were not accepted; every other event of the call was. */
    readonly failedEventIds: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
