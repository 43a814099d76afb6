import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxEditor } from '../../local/sandbox-editor.js';
import type { SandboxChanges } from '../../local/saved-sandbox.js';
import { type MidaxoSandbox, startMidaxoSandbox } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';

describe('sandbox editor', () => {
  let sandbox: MidaxoSandbox;
  beforeEach(async () => {
    sandbox = await startMidaxoSandbox({ processes: { demo: sampleProjects(20) } });
  });
  afterEach(() => sandbox.close());

  function editor(editRounds: number, nextIndex = 21) {
    const rounds: { changes: SandboxChanges; descriptions: readonly string[] }[] = [];
    const started = startSandboxEditor({
      sandbox,
      processId: 'demo',
      projects: sandbox.projects('demo'),
      seed: 1,
      editRounds,
      nextIndex,
      onRound: (changes, descriptions) => rounds.push({ changes, descriptions }),
    });
    return { started, rounds };
  }

  it('adds a deal in round 1 and removes one in round 3, so all three kinds of change come early', () => {
    const { started, rounds } = editor(0);

    for (let i = 0; i < 4; i++) started.editRound();

    expect(rounds[1]?.descriptions).toContain('prj-000021 added');
    const removed = rounds[3]?.changes.removed ?? [];
    expect(removed).toHaveLength(1);
    expect(rounds[3]?.descriptions).toContain(`${removed[0]} removed`);
    expect(sandbox.projects('demo').map((p) => p.id)).not.toContain(removed[0]);
    expect(started.projectCount).toBe(20);
    expect(rounds.map((r) => r.changes.editRounds)).toEqual([1, 2, 3, 4]);
  });

  it('reports each edited project as the sandbox now has it, so it can be saved', () => {
    const { started, rounds } = editor(0);

    started.editRound();

    const current = new Map(sandbox.projects('demo').map((p) => [p.id, p]));
    for (const project of rounds[0]?.changes.upserted ?? []) expect(project).toEqual(current.get(project.id));
  });

  it('makes the same round N whichever start makes it, so a restart goes on instead of repeating', async () => {
    const first = editor(0);
    first.started.editRound();
    first.started.editRound();
    const [, secondRound] = first.rounds;

    const other = await startMidaxoSandbox({ processes: { demo: sampleProjects(20) } });
    try {
      const descriptions: (readonly string[])[] = [];
      const resumed = startSandboxEditor({
        sandbox: other,
        processId: 'demo',
        projects: other.projects('demo'),
        seed: 1,
        editRounds: 1,
        nextIndex: 21,
        onRound: (_, said) => descriptions.push(said),
      });
      resumed.editRound();
      expect(descriptions[0]).toEqual(secondRound?.descriptions);
      expect(first.rounds[0]?.descriptions).not.toEqual(secondRound?.descriptions);
    } finally {
      await other.close();
    }
  });
});
