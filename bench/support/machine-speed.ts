/**
 * How fast the machine is at the kind of work the poller does, measured with a fixed piece of work that
 * uses none of the notifier's code: JSON written and read back, keys sorted, SHA-256. The bench's CPU
 * figures move with the machine as much as with the code (the same commit gave 609 µs per change on one
 * machine of this kind and 789 µs on another), so each run records this beside them; two runs compare
 * fairly only when it is close. Making the notifier faster never moves it.
 */
import { createHash } from 'node:crypto';
import { median } from './median.js';

const RECORDS = 6_000;
const SAMPLES = 7;

export interface MachineSpeed {
  /** CPU time of the reference workload, median of the samples: lower is a faster machine. */
  readonly referenceWorkloadCpuMs: number;
  readonly samples: number;
}

interface ReferenceRecord {
  readonly [field: string]: string | number | boolean | readonly string[] | ReferenceRecord;
}

/** The same records on every machine: a 32-bit linear congruential generator, fixed seed. */
function referenceRecords(): ReferenceRecord[] {
  let state = 20_261_202;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state;
  };
  const word = () => next().toString(36);
  return Array.from({ length: RECORDS }, (_, index) => ({
    id: `record-${index}`,
    name: `${word()} ${word()} "${word()}"`,
    amount: next() / 1000,
    active: next() % 2 === 0,
    tags: [word(), word(), word()],
    owner: { name: word(), email: `${word()}@example.com`, region: word() },
    notes: `${word()}\n${word()} ${word()} é ${word()}`,
  }));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/** Does the reference work once and returns its digest, which is the same on every machine. */
export function runReferenceWorkload(): string {
  const parsed = JSON.parse(JSON.stringify(referenceRecords())) as unknown[];
  const digest = createHash('sha256');
  for (const record of parsed) {
    const canonical = JSON.stringify(sortedKeys(record));
    digest.update(createHash('sha256').update(canonical).digest());
  }
  return digest.digest('hex');
}

/** Times the reference work: one unmeasured round for the compiler, then the median of `SAMPLES`. */
export function measureMachineSpeed(): MachineSpeed {
  runReferenceWorkload();
  const cpuMs: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    const before = process.cpuUsage();
    runReferenceWorkload();
    const used = process.cpuUsage(before);
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { referenceWorkloadCpuMs: median(cpuMs), samples: SAMPLES };
}
