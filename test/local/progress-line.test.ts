import { describe, expect, it } from 'vitest';
import { createProgressLine } from '../../local/progress-line.js';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 120, write: (text: string) => writes.push(text) > 0 } };
}

describe('progress line', () => {
  it('stays silent when stderr is not a terminal', () => {
    const { writes, stream } = terminal(false);
    let now = 0;
    const progress = createProgressLine({ stream, now: () => now });

    progress.cycleStarted();
    now = 5_000;
    progress.pageRead('p1', 100, 1000);
    progress.cycleEnded();

    expect(writes).toEqual([]);
  });

  it('stays silent during a short cycle', () => {
    const { writes, stream } = terminal(true);
    let now = 0;
    const progress = createProgressLine({ stream, now: () => now, showAfterMs: 1000 });

    progress.cycleStarted();
    now = 200;
    progress.pageRead('p1', 100);
    progress.cycleEnded();

    expect(writes).toEqual([]);
  });

  it('shows a bar with projects read, pages and rate on a long first sync, then erases it', () => {
    const { writes, stream } = terminal(true);
    let now = 0;
    const progress = createProgressLine({ stream, now: () => now, showAfterMs: 1000 });

    progress.cycleStarted();
    now = 500;
    progress.pageRead('p1', 2500, 10_000);
    now = 2000;
    progress.pageRead('p1', 2500, 10_000);
    progress.cycleEnded();

    expect(writes[0]).toContain(
      '[############............] 50% p1: 5,000 of 10,000 projects read, 2 pages, 2,500/s',
    );
    expect(writes.at(-1)).toBe('\r\u001b[2K');
  });

  it('counts without a bar when the total is unknown', () => {
    const { writes, stream } = terminal(true);
    let now = 0;
    const progress = createProgressLine({ stream, now: () => now, showAfterMs: 0 });

    progress.cycleStarted();
    now = 1000;
    progress.pageRead('p1', 100);

    expect(writes[0]).toBe('\r\u001b[2Kp1: 100 projects read, 1 pages, 100/s');
  });
});
