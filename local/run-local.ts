/**
 * Composition root of the local mode: flags, then the state store, the publishers and the workspace (the
 * sandbox or the real API), then cycles with the core's `pollRun` (a poll, or every few cycles the deletion
 * sweep) until `--once` is done or Ctrl-C. Returns the exit code; everything opened here is closed here,
 * whatever happens.
 */
import { resolve } from 'node:path';
import { openSqliteStateStore, type SqliteStateStore } from '../shared/adapters/sqlite/sqlite-state-store.js';
import type { TextSink } from '../shared/adapters/stdout/stdout-event-publisher.js';
import type { MidaxoCredentials } from '../shared/config/midaxo-credentials.js';
import { DEFAULT_IGNORED_FIELDS, DEFAULT_OVERLAP_SECONDS } from '../shared/config/poll-defaults.js';
import type { PollSettings } from '../shared/core/poll-process.js';
import { failedOutcomes, pollRun, type RunKind, type WorkspacePlan } from '../shared/core/poll-run.js';
import type { Sleep } from '../shared/support/backoff.js';
import { readFlags } from './cli-flags.js';
import { cycleReportLines } from './cycle-report.js';
import { environmentWithDotenv } from './dotenv.js';
import { helpText } from './help-text.js';
import { type LocalOptions, parseLocalOptions } from './local-options.js';
import { createLocalPublishers, type LocalPublishers } from './local-publishers.js';
import { isLocalOwnerGone, localRunOwner } from './local-run-owner.js';
import { midaxoCredentialsFromEnv } from './midaxo-credentials-env.js';
import { midaxoWorkspace } from './midaxo-workspace.js';
import { runPollLoop } from './poll-loop.js';
import { createProgressLine, type ProgressLine, type ProgressStream } from './progress-line.js';
import {
  SANDBOX_PROCESS_ID,
  SANDBOX_SOURCE_BASE,
  type SandboxWorkspace,
  startSandboxWorkspace,
} from './sandbox-workspace.js';
import { stoppableFetch, stoppableSleep } from './stop-signal.js';
import { UsageError } from './usage-error.js';

/** More than the millisecond the sandbox stamps an edit with. */
const EDITS_SETTLE_MS = 2;

export interface LocalIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `.env` is looked for and relative `--state` paths start. */
  readonly cwd: string;
  /** Events only. */
  readonly stdout: TextSink;
  /** Everything else: banner, progress, cycle summaries, errors. */
  readonly stderr: ProgressStream;
  /** Aborted by Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  readonly fetch?: typeof globalThis.fetch;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const EDIT_EVERY_MAX_SECONDS = 3;

export async function runLocal(io: LocalIo): Promise<number> {
  let options: LocalOptions;
  let credentials: MidaxoCredentials | undefined;
  try {
    const flags = readFlags(io.argv);
    if (flags.help === true) {
      await writeTo(io.stdout, helpText());
      return EXIT_OK;
    }
    const env = environmentWithDotenv(io.cwd, io.env);
    options = parseLocalOptions(flags, env);
    credentials = options.source.kind === 'midaxo' ? midaxoCredentialsFromEnv(env) : undefined;
  } catch (e: unknown) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`${e.message}\nRun with --help to see every flag.\n`);
    return EXIT_USAGE;
  }
  return new LocalSession(io, options, credentials).run();
}

/** The resources of one run, opened in order and closed in reverse. */
class LocalSession {
  private readonly fetch: typeof globalThis.fetch;
  private readonly sleep: Sleep;
  private readonly progress: ProgressLine;
  private store: SqliteStateStore | undefined;
  private publishers: LocalPublishers | undefined;
  private sandbox: SandboxWorkspace | undefined;

  constructor(
    private readonly io: LocalIo,
    private readonly options: LocalOptions,
    /** Present when polling the real API. */
    private readonly credentials: MidaxoCredentials | undefined,
  ) {
    this.fetch = stoppableFetch(io.signal, io.fetch);
    this.sleep = stoppableSleep(io.signal);
    this.progress = createProgressLine({ stream: io.stderr });
  }

  async run(): Promise<number> {
    try {
      const { plan, sourceBase, banner } = await this.open();
      this.log(banner);
      return await this.poll(plan, sourceBase);
    } catch (e: unknown) {
      if (this.io.signal.aborted) return EXIT_OK;
      const code = e instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
      this.log(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      return code;
    } finally {
      await this.close();
    }
  }

  private async open(): Promise<{ plan: WorkspacePlan; sourceBase: string; banner: string }> {
    const { options, io } = this;
    const source = options.source;
    this.store = openSqliteStateStore({
      path: resolve(io.cwd, options.statePath),
      isOwnerGone: isLocalOwnerGone,
    });
    for (const file of this.store.tightened) {
      this.log(
        `${file} was readable by other users; it holds deal data and is now readable by you only (0600).`,
      );
    }
    this.publishers = await createLocalPublishers({
      options,
      statePath: this.store.path,
      stdout: io.stdout,
      fetch: this.fetch,
      sleep: this.sleep,
      beforePrint: () => this.progress.clear(),
      onWebhookNotice: (notice) => this.log(notice.message),
    });
    const tail = `${this.describeSchedule()}; state in ${this.store.path}; events to ${this.describeOutputs()}.${options.once ? '' : ' Ctrl-C stops.'}`;
    if (options.replaySince !== undefined) return this.replayPlan(tail);

    if (source.kind === 'sandbox') {
      this.sandbox = await startSandboxWorkspace({
        statePath: this.store.path,
        projects: source.projects,
        seed: source.seed,
        fetch: this.fetch,
        sleep: this.sleep,
        signal: io.signal,
        onPage: (processId, count, total) => this.progress.pageRead(processId, count, total),
        onEdits: (edits) => this.log(`sandbox editor changed ${edits.join(', ')}`),
      });
      const kept = this.sandbox.continued ? `kept in the state file, ` : '';
      return {
        plan: this.sandbox.plan,
        sourceBase: SANDBOX_SOURCE_BASE,
        banner: `Midaxo sandbox at ${this.sandbox.apiUrl} with ${this.sandbox.projectCount} sample projects (${kept}process ${SANDBOX_PROCESS_ID})${options.once ? '' : ', edited every few seconds'}; polling ${tail}`,
      };
    }
    if (this.credentials === undefined)
      throw new Error('The credentials are read before polling the real API');
    const plan = midaxoWorkspace({
      name: source.label,
      endpoints: source.endpoints,
      credentials: this.credentials,
      processIds: source.processIds,
      fetch: this.fetch,
      sleep: this.sleep,
      signal: io.signal,
      onPage: (request, count) => this.progress.pageRead(request.processId, count),
    });
    return {
      plan,
      sourceBase: source.endpoints.apiUrl,
      banner: `Midaxo ${source.label} API ${source.endpoints.apiUrl}, process ${source.processIds.join(', ')}; polling ${tail}`,
    };
  }

  /**
   * A replay reads the event log and nothing else: no sandbox is started (so none of its deals is edited
   * or saved) and no API is called, so replaying twice leaves the state file as it was.
   */
  private replayPlan(tail: string): { plan: WorkspacePlan; sourceBase: string; banner: string } {
    const { source } = this.options;
    const [name, processIds, sourceBase] =
      source.kind === 'sandbox'
        ? ['sandbox', [SANDBOX_PROCESS_ID], SANDBOX_SOURCE_BASE]
        : [source.label, source.processIds, source.endpoints.apiUrl];
    const openSource = () => Promise.reject(new Error('A replay reads the event log, never a workspace'));
    return {
      plan: { name, processIds, openSource },
      sourceBase,
      banner: `Event log of ${name} process ${processIds.join(', ')}, nothing polled or edited; ${tail}`,
    };
  }

  private async poll(plan: WorkspacePlan, sourceBase: string): Promise<number> {
    const { options, io } = this;
    const store = this.store;
    const publisher = this.publishers?.publisher;
    if (store === undefined || publisher === undefined) throw new Error('The session was not opened');
    const settings: PollSettings = {
      overlapSeconds: DEFAULT_OVERLAP_SECONDS,
      ignoredFields: new Set(DEFAULT_IGNORED_FIELDS),
      publishBaseline: options.publishBaseline,
      sourceBase,
      deletionGuard: options.deletionGuard,
      ...(options.confirmDeletions ? { confirmDeletions: true } : {}),
    };
    const clock = { now: () => new Date() };
    // Claims name this session: another run on the same state file (cron overlap) skips what it holds.
    const runId = localRunOwner();
    let cutShort = false;
    // The sandbox lived on while the notifier was stopped: its first cycle has changes to show. A poll's
    // window ends (exclusively) at its start, so it waits for the clock to pass the edits' timestamps:
    // an edit stamped in the poll's first millisecond would otherwise show only a cycle later.
    if (this.sandbox?.continued) {
      this.sandbox.editRound();
      await this.sleep(EDITS_SETTLE_MS);
    }

    const result = await runPollLoop({
      once: options.once,
      intervalMs: options.intervalSeconds * 1000,
      signal: io.signal,
      sleep: this.sleep,
      cycle: async (index) => {
        const startedAt = Date.now();
        this.progress.cycleStarted();
        const summary = await pollRun(
          [plan],
          { store, processes: store, publisher, clock, runId },
          settings,
          this.kindOfCycle(index),
        );
        await this.publishers?.webhooks?.retryDue();
        this.progress.cycleEnded();
        if (io.signal.aborted) {
          cutShort = true;
          return false;
        }
        const lines = cycleReportLines(summary, {
          includeQuiet: options.once,
          elapsedMs: Date.now() - startedAt,
        });
        for (const line of lines) this.log(line);
        if (!options.once)
          this.sandbox?.startEditing(Math.min(options.intervalSeconds, EDIT_EVERY_MAX_SECONDS) * 1000);
        return failedOutcomes(summary).length === 0;
      },
    });
    this.reportQueuedDeliveries();
    if (result === 'stopped') {
      this.log(
        cutShort
          ? 'Stopped mid-cycle: what was published is saved; the rest of the window is read again on the next start.'
          : 'Stopped.',
      );
      return EXIT_OK;
    }
    return result === 'failed' ? EXIT_FAILED : EXIT_OK;
  }

  /** Every `sweepEvery`th cycle sweeps for deletions; with --reconcile, every cycle does. */
  private kindOfCycle(index: number): RunKind {
    const { reconcile, sweepEvery, replaySince } = this.options;
    if (replaySince !== undefined) return { replay: { since: replaySince } };
    return reconcile || (sweepEvery > 0 && (index + 1) % sweepEvery === 0) ? 'reconcile' : 'poll';
  }

  private describeSchedule(): string {
    const { once, reconcile, sweepEvery, intervalSeconds, replaySince } = this.options;
    if (replaySince !== undefined) return `one replay of the events recorded since ${replaySince}`;
    if (once) return reconcile ? 'one deletion sweep' : 'one cycle';
    const every = `every ${intervalSeconds} s`;
    if (reconcile || sweepEvery === 1) return `${every}, each a deletion sweep`;
    if (sweepEvery === 0) return every;
    return `${every}, every ${ordinal(sweepEvery)} cycle a deletion sweep`;
  }

  /** Deliveries still waiting are kept in the state file; the user should know they are not lost. */
  private reportQueuedDeliveries(): void {
    for (const target of this.publishers?.webhooks?.status() ?? []) {
      if (target.queued === 0) continue;
      const events = `${target.queued} event${target.queued === 1 ? '' : 's'}`;
      this.log(`${target.webhook}: ${events} still queued in the state file; the next start retries them.`);
    }
  }

  private describeOutputs(): string {
    const { options } = this;
    const outputs = [options.json ? 'stdout (JSON lines)' : 'stdout'];
    const webhooks = options.webhooks?.urls.length ?? 0;
    if (webhooks > 0) outputs.push(`${webhooks} webhook${webhooks === 1 ? '' : 's'}`);
    if (options.snsTopicArn !== undefined) outputs.push(`SNS topic ${options.snsTopicArn}`);
    return outputs.join(', ');
  }

  private log(line: string): void {
    this.progress.clear();
    const time = new Date().toTimeString().slice(0, 8);
    this.io.stderr.write(`${time} ${line}\n`);
  }

  private async close(): Promise<void> {
    this.progress.clear();
    await this.sandbox?.close().catch(() => undefined);
    this.publishers?.close();
    this.store?.close();
  }
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function writeTo(sink: TextSink, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sink.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
