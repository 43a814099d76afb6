/** The bench's one option: `--only change,idle,...` to run a subset of its parts. */
export const BENCH_PARTS = [
  'change',
  'idle',
  'fanout',
  'memory',
  'bundles',
  'coldstart',
  'processes',
  'delivery',
  'tokens',
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export function parseBenchArguments(argv: readonly string[]): ReadonlySet<BenchPart> {
  if (argv.length === 0) return new Set(BENCH_PARTS);
  const [flag, list, ...rest] = argv;
  const value = flag?.startsWith('--only=')
    ? flag.slice('--only='.length)
    : flag === '--only'
      ? list
      : undefined;
  const extra = flag?.startsWith('--only=') ? [list, ...rest] : rest;
  if (value === undefined || extra.some((arg) => arg !== undefined)) {
    throw new BenchUsageError(`Usage: npm run bench [-- --only ${BENCH_PARTS.join(',')}]`);
  }
  const parts = value.split(',').map((part) => part.trim());
  const unknown = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) {
    throw new BenchUsageError(
      `Unknown bench part(s) ${unknown.join(', ')}; expected some of ${BENCH_PARTS.join(', ')}`,
    );
  }
  return new Set(parts as BenchPart[]);
}
