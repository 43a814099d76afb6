/**
 * A one-line progress display for long cycles (a first sync of a big workspace): projects read so far, the
 * rate, and a bar when the total is known. Drawn on stderr only when it is a terminal, only once a cycle
 * has run for a while, and redrawn at most a few times a second.
 */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

export interface ProgressLine {
  cycleStarted(): void;
  /** A page of `projects` read for `processId`; `total` when the full listing's size is known. */
  pageRead(processId: string, projects: number, total?: number): void;
  /** Erases the line (before other output goes to the same terminal); the next page redraws it. */
  clear(): void;
  cycleEnded(): void;
}

export interface ProgressLineOptions {
  readonly stream: ProgressStream;
  /** @default Date.now */
  readonly now?: () => number;
  /** A cycle shorter than this never shows the line. @default 1000 */
  readonly showAfterMs?: number;
  /** @default 100 */
  readonly redrawEveryMs?: number;
}

const BAR_WIDTH = 24;

export function createProgressLine(options: ProgressLineOptions): ProgressLine {
  const { stream } = options;
  const now = options.now ?? Date.now;
  const showAfterMs = options.showAfterMs ?? 1000;
  const redrawEveryMs = options.redrawEveryMs ?? 100;
  let startedAt = now();
  let lastDrawAt = 0;
  let shown = false;
  let current = { processId: '', read: 0, pages: 0, total: undefined as number | undefined };

  function draw(): void {
    const elapsedMs = now() - startedAt;
    const rate = elapsedMs > 0 ? Math.round((current.read * 1000) / elapsedMs) : 0;
    const count = current.read.toLocaleString('en-US');
    const known = current.total !== undefined && current.total > 0 ? current.total : undefined;
    const bar =
      known === undefined
        ? ''
        : `[${'#'.repeat(Math.min(BAR_WIDTH, Math.floor((current.read / known) * BAR_WIDTH))).padEnd(BAR_WIDTH, '.')}] ${Math.min(100, Math.floor((current.read / known) * 100))}% `;
    const of = known === undefined ? '' : ` of ${known.toLocaleString('en-US')}`;
    const text = `${bar}${current.processId}: ${count}${of} projects read, ${current.pages} pages, ${rate.toLocaleString('en-US')}/s`;
    const width = Math.max(20, (stream.columns || 100) - 1);
    stream.write(`\r\u001b[2K${text.slice(0, width)}`);
    shown = true;
    lastDrawAt = now();
  }

  function clear(): void {
    if (shown) stream.write('\r\u001b[2K');
    shown = false;
    lastDrawAt = 0;
  }

  return {
    cycleStarted() {
      startedAt = now();
      current = { processId: '', read: 0, pages: 0, total: undefined };
    },
    pageRead(processId, projects, total) {
      if (!stream.isTTY) return;
      if (current.processId !== processId) current = { processId, read: 0, pages: 0, total };
      current.read += projects;
      current.pages += 1;
      const at = now();
      if (at - startedAt >= showAfterMs && at - lastDrawAt >= redrawEveryMs) draw();
    },
    clear,
    cycleEnded: clear,
  };
}
