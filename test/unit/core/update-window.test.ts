import { describe, expect, it } from 'vitest';
import { updateWindowFor } from '../../../shared/core/update-window.js';

const runStart = new Date('2026-11-27T12:00:00.000Z');

describe('updateWindowFor', () => {
  it('lists everything up to the run start on a first run', () => {
    expect(updateWindowFor(undefined, runStart, 300)).toEqual({ updatedBefore: '2026-11-27T12:00:00.000Z' });
  });

  it('starts the overlap before the watermark so clock skew loses nothing', () => {
    expect(updateWindowFor('2026-11-27T11:55:00.000Z', runStart, 300)).toEqual({
      updatedAfter: '2026-11-27T11:50:00.000Z',
      updatedBefore: '2026-11-27T12:00:00.000Z',
    });
  });
});
