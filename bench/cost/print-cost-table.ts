/**
 * Prints docs/deploy.md's cost tables from the measured usage and the prices:
 * `npx tsx bench/cost/print-cost-table.ts`, then paste between the doc's cost-table markers
 * (test/bench/cost/cost-table.test.ts fails until the doc matches).
 */
import { costTablesMarkdown, pricesMarkdown } from './cost-table.js';
import { MEASURED_USAGE } from './measured-usage.js';

process.stdout.write(`${costTablesMarkdown(MEASURED_USAGE)}\n\n${pricesMarkdown()}\n`);
