/** The local state database cannot be opened or used; the message names the file and what to do. Layer: adapter. */
export class StateDatabaseError extends Error {
  override readonly name = 'StateDatabaseError';
}
