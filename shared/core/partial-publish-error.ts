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
    /**
     * Those of `failedEventIds` the transport refused for what they are (a sender fault), so resending
     * them as they are can never succeed: their projects are set aside rather than failing the run.
     */
    readonly refusedEventIds: readonly string[] = [],
  ) {
    super(message, options);
  }
}
