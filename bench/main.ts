/**
 * `npm run bench`: the poller against the Midaxo sandbox and DynamoDB Local, with latency modelled
 * (see bench-model.ts). Prints a table and writes `bench/results/bench-<date>.json` (and .md).
 * `npm run bench -- --only change,idle,fanout,coldstart,processes,memory,bundles,delivery,tokens` runs a
 * subset (`--only fanout` takes about two minutes, `--only delivery` and `--only tokens` seconds; the whole
 * bench about ten).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietSdkNodeVersionWarning } from '../shared/config/sdk-node-warning.js';
import { startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { createLocalDynamoDbClient, createStateTable } from '../test/support/dynamodb-test-table.js';
import { BENCH_CLOCK_START, MEMORY_RUN_PROJECTS } from './bench-model.js';
import { BENCH_MODEL_DESCRIPTION, type BenchResults, checksOf } from './report/bench-results.js';
import { renderReport } from './report/render-report.js';
import type { BenchContext } from './scenarios/bench-context.js';
import { measureBundles } from './scenarios/bundles.js';
import { runChangeScenarios } from './scenarios/change-run.js';
import { runColdStartScenario } from './scenarios/cold-start.js';
import { runDeliveryBurstScenario } from './scenarios/delivery-burst.js';
import { runFanOutScenario } from './scenarios/fan-out.js';
import { runIdleScenario } from './scenarios/idle-run.js';
import { runManyProcessesScenario } from './scenarios/many-processes.js';
import { type MemoryRun, runMemoryScenario } from './scenarios/memory.js';
import { runTokenRequestScenario } from './scenarios/token-requests.js';
import { parseBenchArguments } from './support/bench-arguments.js';
import { describeMachine } from './support/machine.js';
import { measureMachineSpeed } from './support/machine-speed.js';
import { offsetClockStartingAt } from './support/offset-clock.js';

// The report names the node version itself; the switch is inherited by every child process.
quietSdkNodeVersionWarning();

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const parts = parseBenchArguments(process.argv.slice(2));
const startedAt = new Date();
const machine = describeMachine();
const machineSpeedAtStart = measureMachineSpeed();
const progress = (message: string) =>
  process.stderr.write(
    `[bench ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(3)} s] ${message}\n`,
  );

// First, before DynamoDB Local starts: a JVM starting up, or busy after the scenarios, would take
// cores from the fresh node processes whose imports are timed.
const bundles = parts.has('bundles')
  ? await measureBundles({ progress }, join(RESULTS_DIR, 'bundles'))
  : undefined;

progress('starting DynamoDB Local');
const dynamoDb = await startDynamoDbLocal();
const tables = createLocalDynamoDbClient(dynamoDb.endpoint);
const context: BenchContext = {
  dynamoDbEndpoint: dynamoDb.endpoint,
  clockOffsetMs: offsetClockStartingAt(BENCH_CLOCK_START).offsetMs,
  createTable: () => createStateTable(tables),
  progress,
};

try {
  const changeRun = parts.has('change') ? await runChangeScenarios(context) : undefined;
  const idleRun = parts.has('idle') ? await runIdleScenario(context) : undefined;
  const fanOut = parts.has('fanout') ? await runFanOutScenario(context) : undefined;
  const coldStart = parts.has('coldstart') ? await runColdStartScenario(context) : undefined;
  const processes = parts.has('processes') ? await runManyProcessesScenario(context) : undefined;
  const tokenRequests = parts.has('tokens') ? await runTokenRequestScenario(context) : undefined;
  const memory: MemoryRun[] = [];
  if (parts.has('memory')) {
    for (const projects of MEMORY_RUN_PROJECTS) memory.push(...(await runMemoryScenario(context, projects)));
  }
  const deliveryBurst = parts.has('delivery') ? await runDeliveryBurstScenario(context) : undefined;
  const measured = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    loadAverageAtEnd: describeMachine().loadAverage,
    machineSpeed: { atStart: machineSpeedAtStart, atEnd: measureMachineSpeed() },
    model: BENCH_MODEL_DESCRIPTION,
    ...(changeRun === undefined ? {} : { changeRun }),
    ...(idleRun === undefined ? {} : { idleRun }),
    ...(fanOut === undefined ? {} : { fanOut }),
    ...(coldStart === undefined ? {} : { coldStart }),
    ...(processes === undefined ? {} : { processes }),
    ...(tokenRequests === undefined ? {} : { tokenRequests }),
    ...(memory.length === 0 ? {} : { memory }),
    ...(bundles === undefined ? {} : { bundles }),
    ...(deliveryBurst === undefined ? {} : { deliveryBurst }),
  };
  const results: BenchResults = { ...measured, checks: checksOf(measured) };

  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const jsonFile = join(RESULTS_DIR, `bench-${stamp}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, `bench-${stamp}.md`), `${renderReport(results, 'markdown')}\n`);
  process.stdout.write(`${renderReport(results, 'text')}\n\nResults: ${jsonFile}\n`);
  if (results.checks.some((check) => !check.pass)) process.exitCode = 1;
} finally {
  tables.destroy();
  await dynamoDb.stop();
}
