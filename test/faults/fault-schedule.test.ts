import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_SEED, describeSchedule, FAULTY_RUNS, planFaultRuns } from './fault-schedule.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the fault suite’s schedule', () => {
  it('is the same for the same seed, run after run, and another for another seed', () => {
    const first = planFaultRuns(DEFAULT_FAULT_SEED);

    expect(first).toHaveLength(FAULTY_RUNS);
    expect(planFaultRuns(DEFAULT_FAULT_SEED)).toEqual(first);
    expect(describeSchedule(planFaultRuns(DEFAULT_FAULT_SEED))).toBe(describeSchedule(first));
    expect(planFaultRuns(DEFAULT_FAULT_SEED + 1)).not.toEqual(first);
  });

  it('is the one README.md quotes for the default seed', () => {
    const quoted = /<!-- fault-schedule -->([\s\S]*?)<!-- \/fault-schedule -->/.exec(readme)?.[1];

    expect(quoted?.replace(/\s+/g, ' ')).toBe(describeSchedule(planFaultRuns(DEFAULT_FAULT_SEED)));
    expect(readme).toContain(`default ${DEFAULT_FAULT_SEED}`);
  });
});
