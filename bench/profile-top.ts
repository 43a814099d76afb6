/**
 * `npx tsx bench/profile-top.ts <file.cpuprofile> [entries]`: the top entries of a V8 CPU profile by
 * self time, per function and per place (an npm package, or a file of this repository), as the tables
 * in docs/performance.md show them. Profiles come from the bench with `BENCH_CPU_PROFILE_DIR` set.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CpuProfile, topSelfTime } from './support/profile-summary.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const [file, entriesText = '15', ...extra] = process.argv.slice(2);
const entries = Number(entriesText);
if (file === undefined || !Number.isInteger(entries) || entries < 1 || extra.length > 0) {
  process.stderr.write('Usage: npx tsx bench/profile-top.ts <file.cpuprofile> [entries]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const top = topSelfTime(profile, REPO_ROOT, entries);
const row = (ms: number, share: number, name: string) =>
  `${ms.toFixed(1).padStart(8)} ms ${(share * 100).toFixed(1).padStart(5)} %  ${name}`;
process.stdout.write(`busy ${top.totalMs.toFixed(1)} ms sampled\n\nby function (self time)\n`);
for (const entry of top.functions) process.stdout.write(`${row(entry.ms, entry.share, entry.name)}\n`);
process.stdout.write('\nby place (self time)\n');
for (const entry of top.places) process.stdout.write(`${row(entry.ms, entry.share, entry.name)}\n`);
