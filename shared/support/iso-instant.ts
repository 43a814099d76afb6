/**
 * Instants are stored and compared as text (DynamoDB sort keys and conditions, SQLite columns), which
 * only orders them right when every one is written the same way: `Date#toISOString`, in UTC.
 */
export function isoInstant(text: string, what: string): string {
  const epochMs = Date.parse(text);
  if (Number.isNaN(epochMs)) {
    throw new RangeError(`${what} must be an ISO-8601 instant, got ${JSON.stringify(text.slice(0, 100))}`);
  }
  return new Date(epochMs).toISOString();
}
