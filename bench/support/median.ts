/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The median of `numerators[i] / denominators[i]`: each ratio compares two figures taken together (a
 * round), so a slow moment of the machine that stretches both leaves their ratio nearly as it was.
 */
export function medianRatio(numerators: readonly number[], denominators: readonly number[]): number {
  if (numerators.length !== denominators.length) {
    throw new RangeError(
      `medianRatio: ${numerators.length} numerators for ${denominators.length} denominators`,
    );
  }
  return median(numerators.map((value, index) => value / (denominators[index] as number)));
}
