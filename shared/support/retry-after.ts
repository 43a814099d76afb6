/**
 * The `Retry-After` header (RFC 9110): delay-seconds or an HTTP date. Absent or unreadable means
 * "use your own backoff".
 * Layer: adapter support.
 */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
