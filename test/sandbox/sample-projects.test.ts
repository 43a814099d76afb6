import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { randomProjectEdit, sampleProject, sampleProjects } from '../../sandbox/sample-projects.js';
import { mulberry32 } from '../../sandbox/seeded-random.js';
import type { JsonObject } from '../../shared/core/json.js';

describe('sample projects', () => {
  it('are the same for the same index, whatever was generated before', () => {
    const alone = sampleProject(7);
    sampleProjects(20);

    expect(sampleProject(7)).toEqual(alone);
    expect(sampleProjects(10)[6]).toEqual(alone);
  });

  it('look like deal projects, with ids that sort in index order', () => {
    const projects = sampleProjects(12);

    expect(projects[0]).toEqual({
      id: 'prj-000001',
      name: expect.any(String),
      stage: expect.any(String),
      owner: { id: expect.stringMatching(/^usr-/), name: expect.any(String) },
      dealValue: { amount: expect.any(Number), currency: expect.stringMatching(/^(EUR|USD|GBP)$/) },
      tags: expect.arrayContaining([expect.any(String)]),
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      customFields: expect.objectContaining({
        industry: expect.any(String),
        probability: expect.any(Number),
      }),
    });
    const ids = projects.map((project) => project.id);
    expect([...ids].sort()).toEqual(ids);
    for (const project of projects) expect(project.updatedAt >= project.createdAt).toBe(true);
  });

  it('grow to the asked size with paddingBytes', () => {
    const project = sampleProject(1, { paddingBytes: 50_000 });

    expect(String(project.description)).toHaveLength(50_000);
  });
});

describe('random project edits', () => {
  function editSeries(seed: number, count: number): JsonObject[] {
    const random = mulberry32(seed);
    let project: JsonObject = sampleProject(1);
    const patches: JsonObject[] = [];
    for (let i = 0; i < count; i++) {
      const edit = randomProjectEdit(project, random);
      patches.push(edit.patch);
      project = { ...project, ...edit.patch };
    }
    return patches;
  }

  it('always change the project', () => {
    const random = mulberry32(3);
    let project: JsonObject = sampleProject(2);

    for (let i = 0; i < 300; i++) {
      const edited = { ...project, ...randomProjectEdit(project, random).patch };
      expect(isDeepStrictEqual(edited, project)).toBe(false);
      project = edited;
    }
  });

  it('repeat for the same seed and cover every kind of edit', () => {
    const random = mulberry32(5);
    const kinds = new Set(
      Array.from({ length: 200 }, () => randomProjectEdit(sampleProject(1), random).kind),
    );

    expect(editSeries(11, 50)).toEqual(editSeries(11, 50));
    expect(editSeries(12, 50)).not.toEqual(editSeries(11, 50));
    expect([...kinds].sort()).toEqual(['customFields', 'dealValue', 'name', 'owner', 'stage', 'tags']);
  });
});
