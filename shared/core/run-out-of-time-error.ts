/**
 * Thrown by an adapter that will not start work it could not finish in the time the run has left.
 * Not a failure of the run: the poll stops where it got to, as when its time budget runs low.
 */
export class RunOutOfTimeError extends Error {
  override name = 'RunOutOfTimeError';
}
