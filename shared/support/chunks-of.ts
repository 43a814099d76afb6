/** Splits a list into runs of at most `size`, for the AWS batch calls (25 writes, 10 messages, ...). */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
