/**
 * RFC 3339 timestamps: the one reading of an instant given as text, wherever one comes from outside
 * (a project's `updatedAt`, a replay's `since`, a local flag). A 4-digit year, seconds and an explicit
 * zone are required, and the date must exist: `Date.parse` alone takes `"0"` for 2000 and rolls
 * February 30 over into March.
 */
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of `text` when it is an RFC 3339 timestamp of a real date, else undefined. */
export function parseRfc3339(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = RFC_3339.exec(text);
  if (match === null) return undefined;
  const instant = Date.parse(text.replace(' ', 'T'));
  if (Number.isNaN(instant)) return undefined;
  const [, year, month, day] = match;
  const written = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const calendar = new Date(written);
  const exists =
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    calendar.getUTCDate() === Number(day);
  return exists ? instant : undefined;
}
