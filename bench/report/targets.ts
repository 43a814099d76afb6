/**
 * The targets of issues 6 and 10 as checks: each names what was measured, the bound it is held to and whether
 * it holds. Pure, so the arithmetic of the bounds is tested without running anything.
 */
import { type RequestCounts, sumOf } from '../aws/request-tally.js';

export interface Check {
  readonly label: string;
  readonly measured: number;
  readonly comparison: '<=' | '>=' | '=';
  readonly bound: number;
  readonly pass: boolean;
  /** How the figure is shown, e.g. "37.2×". */
  readonly unit?: 'count' | 'ratio';
}

export const DYNAMODB_READS = ['GetItem', 'BatchGetItem', 'Query', 'Scan'] as const;
export const DYNAMODB_WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'] as const;
export const SNS_CALLS = ['Publish', 'PublishBatch'] as const;

export function check(
  label: string,
  measured: number,
  comparison: Check['comparison'],
  bound: number,
  unit: Check['unit'] = 'count',
): Check {
  const pass =
    comparison === '<=' ? measured <= bound : comparison === '>=' ? measured >= bound : measured === bound;
  return { label, measured, comparison, bound, pass, unit };
}

export interface RequestFigures {
  readonly scanned: number;
  readonly changed: number;
  readonly requests: RequestCounts;
}

/** Items a BatchGetItem reads and a BatchWriteItem writes at most; PublishBatch takes 10 messages. */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
const PUBLISH_BATCH = 10;

/**
 * The DynamoDB writes a run that changed `changed` projects needs at least, with the process item and
 * the outbox (issue 10 item 1, issue 9 item 5):
 *  - ceil(changed / 25) BatchWriteItem of the event log: each change is recorded before it is published;
 *  - ceil(changed / 25) BatchWriteItem of the project states, after publishing;
 *  - 1 UpdateItem that opens the outbox on the process item, in a run with any change;
 *  - 2 UpdateItem on the process item: the claim (which returns watermark and checkpoint, so the run
 *    reads nothing else) and the release (which moves the watermark and closes the outbox).
 * A process's first run under this layout also reads its layout-1 items once (one BatchGetItem); the
 * change runs measured here are not first runs.
 */
export function dynamoDbWriteBound(changed: number): number {
  const batches = Math.ceil(changed / WRITE_BATCH);
  const openOutbox = changed > 0 ? 1 : 0;
  return batches + batches + openOutbox + 2;
}

/**
 * AWS requests of a run against their minimum: one BatchGetItem per page of up to 100 listed projects
 * (the claim is a write that returns the process item, so nothing else is read), the writes of
 * `dynamoDbWriteBound`, and one PublishBatch per 10 changes with 2 of slack for a page's partial batch.
 */
export function requestChecks({ scanned, changed, requests }: RequestFigures): Check[] {
  return [
    check(
      'DynamoDB reads',
      sumOf(requests, 'DynamoDB', DYNAMODB_READS),
      '<=',
      Math.ceil(scanned / GET_BATCH),
    ),
    check('DynamoDB writes', sumOf(requests, 'DynamoDB', DYNAMODB_WRITES), '<=', dynamoDbWriteBound(changed)),
    check('SNS calls', sumOf(requests, 'SNS', SNS_CALLS), '<=', Math.ceil(changed / PUBLISH_BATCH) + 2),
  ];
}

export interface IdleFigures {
  readonly listingRequests: number;
  readonly tokenRequests: number;
  readonly dynamodbRequests: number;
}

/**
 * A warm idle run of one process: one listing request, no token request, and two DynamoDB requests at
 * most (claim and release of the process item). Measured on a process whose item already has its
 * layout: a process's first run also reads its layout-1 items once, and that run is not idle.
 */
export function idleChecks(
  { listingRequests, tokenRequests, dynamodbRequests }: IdleFigures,
  which = 'idle',
): Check[] {
  return [
    check(`${which}: Midaxo listing requests`, listingRequests, '=', 1),
    check(`${which}: token requests (warm)`, tokenRequests, '=', 0),
    check(`${which}: DynamoDB requests`, dynamodbRequests, '<=', 2),
  ];
}

export interface ChangeRunMedians {
  readonly wallOverApiFloor: number;
  readonly cpuMsPerChangedProject: number;
}

/** The change run's medians: close to its API floor, and little poller CPU per changed project. */
export function changeRunChecks({ wallOverApiFloor, cpuMsPerChangedProject }: ChangeRunMedians): Check[] {
  return [
    check('change run: wall / API floor (median)', wallOverApiFloor, '<=', 2.5, 'ratio'),
    check(
      'change run: CPU µs per changed project (median)',
      Math.round(cpuMsPerChangedProject * 1000),
      '<=',
      300,
    ),
  ];
}

export function speedUpCheck(realWallMs: number, naiveWallMs: number): Check {
  return check('speed-up over naive', naiveWallMs / realWallMs, '>=', 10, 'ratio');
}

/** Memory bounded by a page: the larger workspace may use at most 1.2× the smaller one's peak. */
export function memoryCheck(smallPeakBytes: number, largePeakBytes: number): Check {
  return check('peak RSS, 50k vs 10k projects', largePeakBytes / smallPeakBytes, '<=', 1.2, 'ratio');
}

export interface BundleRatios {
  /** Gzipped size of the poller bundle over that of the three bare SDK clients. */
  readonly gzipSize: number;
  /** Median over rounds of the poller bundle's cold-import CPU time over the bare clients' in the same round. */
  readonly coldImport: number;
}

/** The poller's bundle close to the SDK clients it cannot do without: 1.5× their size, 1.3× their import. */
export function bundleChecks({ gzipSize, coldImport }: BundleRatios): Check[] {
  return [
    check('bundle: gzipped size / bare SDK clients', gzipSize, '<=', 1.5, 'ratio'),
    check('bundle: cold import CPU / bare SDK clients', coldImport, '<=', 1.3, 'ratio'),
  ];
}

type ChangeSummary = { readonly created: number; readonly updated: number; readonly deleted: number };

export function changedCount(summary: ChangeSummary): number {
  return summary.created + summary.updated + summary.deleted;
}

/** A run's CPU per project it changed (per run, for a run that changed none). */
export function cpuMsPerChangedProject({
  cpuMs,
  summary,
}: {
  cpuMs: number;
  summary: ChangeSummary;
}): number {
  return cpuMs / Math.max(1, changedCount(summary));
}
