/** The bench's report: the figures and the checks as tables, for the terminal (text) or the docs (Markdown). */
import type { MachineSpeed } from '../support/machine-speed.js';
import type { BenchResults } from './bench-results.js';
import { changeRunSection } from './change-run-section.js';
import { coldStartSection } from './cold-start-section.js';
import { deliverySection } from './delivery-section.js';
import { fanOutSection } from './fan-out-section.js';
import { count, gib, kib, ratio } from './figure-format.js';
import { idleRunSection } from './idle-run-section.js';
import { manyProcessesSection } from './many-processes-section.js';
import { memorySection } from './memory-section.js';
import { reportFormat } from './report-format.js';
import type { Check } from './targets.js';
import { tokenRequestSection } from './token-requests-section.js';

export function renderReport(results: BenchResults, kind: 'text' | 'markdown'): string {
  const format = reportFormat(kind);
  const { table, heading } = format;
  const { machine } = results;
  const parts = [
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${gib(machine.memoryBytes)} RAM, node ${machine.nodeVersion} (${machine.platform})`,
    `Load average (1/5/15 min): ${machine.loadAverage.join(' / ')} at the start, ${results.loadAverageAtEnd.join(' / ')} at the end`,
    machineSpeedLine(results.machineSpeed),
    ...Object.entries(results.model).map(([part, description]) => `- ${part}: ${description}`),
  ];
  if (results.changeRun !== undefined) parts.push(...changeRunSection(results.changeRun, format));
  if (results.idleRun !== undefined) parts.push(...idleRunSection(results.idleRun, format));
  if (results.fanOut !== undefined) parts.push(...fanOutSection(results.fanOut, format));
  if (results.processes !== undefined) parts.push(...manyProcessesSection(results.processes, format));
  if (results.coldStart !== undefined) parts.push(...coldStartSection(results.coldStart, format));
  if (results.tokenRequests !== undefined) parts.push(...tokenRequestSection(results.tokenRequests, format));
  if (results.memory !== undefined && results.memory.length > 0)
    parts.push(...memorySection(results.memory, format));
  if (results.deliveryBurst !== undefined) parts.push(...deliverySection(results.deliveryBurst, format));
  if (results.bundles !== undefined && results.bundles.length > 0) {
    parts.push(
      heading('Bundles (esbuild as the CDK stack: ESM, minified, node24, AWS SDK bundled)'),
      table(
        ['bundle', 'size', 'gzipped', 'cold import, median: wall / CPU'],
        results.bundles.map((bundle) => [
          bundle.name,
          kib(bundle.bytes),
          kib(bundle.gzipBytes),
          `${bundle.importMsMedian.toFixed(0)} / ${bundle.importCpuMsMedian.toFixed(0)} ms`,
        ]),
        ['left', 'right', 'right', 'right'],
      ),
    );
  }
  if (results.checks.length === 0) return parts.join('\n');
  parts.push(
    heading('Targets'),
    table(
      ['check', 'measured', 'target', 'result'],
      results.checks.map((check) => [
        check.label,
        shown(check, check.measured),
        `${symbol(check)} ${shown(check, check.bound)}`,
        check.pass ? 'PASS' : 'FAIL',
      ]),
      ['left', 'right', 'right', 'left'],
    ),
  );
  return parts.join('\n');
}

function symbol(check: Check): string {
  return check.comparison === '<=' ? '≤' : check.comparison === '>=' ? '≥' : '=';
}

function shown(check: Check, value: number): string {
  return check.unit === 'ratio' ? ratio(value) : count(value);
}

/** Runs compare fairly only on machines of about the same speed; this line says which speed this one had. */
function machineSpeedLine({ atStart, atEnd }: BenchResults['machineSpeed']): string {
  const ms = (speed: MachineSpeed) => `${speed.referenceWorkloadCpuMs.toFixed(0)} ms`;
  return `Machine speed (machine-speed.ts, lower is faster): ${ms(atStart)} at the start, ${ms(atEnd)} at the end`;
}
