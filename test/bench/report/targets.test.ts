import { describe, expect, it } from 'vitest';
import {
  bundleChecks,
  changeRunChecks,
  idleChecks,
  memoryCheck,
  requestChecks,
  speedUpCheck,
} from '../../../bench/report/targets.js';

describe('bench targets', () => {
  it('holds AWS requests to reads per 100 listed, writes per 25 and SNS calls per 10 changed, plus slack', () => {
    const checks = requestChecks({
      scanned: 1_000,
      changed: 1_000,
      requests: {
        'DynamoDB.GetItem': 2,
        'DynamoDB.BatchGetItem': 11,
        'DynamoDB.BatchWriteItem': 40,
        'DynamoDB.PutItem': 1,
        'DynamoDB.UpdateItem': 1,
        'DynamoDB.DeleteItem': 1,
        'SNS.PublishBatch': 100,
      },
    });

    expect(checks.map(({ label, measured, bound, pass }) => ({ label, measured, bound, pass }))).toEqual([
      { label: 'DynamoDB reads', measured: 13, bound: 13, pass: true },
      { label: 'DynamoDB writes', measured: 43, bound: 43, pass: true },
      { label: 'SNS calls', measured: 100, bound: 102, pass: true },
    ]);
  });

  it('fails the request checks of a per-project implementation', () => {
    const checks = requestChecks({
      scanned: 1_000,
      changed: 1_000,
      requests: { 'DynamoDB.GetItem': 1_001, 'DynamoDB.PutItem': 1_000, 'SNS.Publish': 1_000 },
    });

    expect(checks.every((check) => !check.pass)).toBe(true);
  });

  it('wants the real poller at least 10 times as fast as the naive one', () => {
    expect(speedUpCheck(1_000, 10_000).pass).toBe(true);
    expect(speedUpCheck(1_000, 9_900)).toMatchObject({ measured: 9.9, pass: false });
  });

  it('wants one listing request, no token request and at most two DynamoDB requests on a warm idle run', () => {
    expect(
      idleChecks({ listingRequests: 1, tokenRequests: 0, dynamodbRequests: 2 }).every((check) => check.pass),
    ).toBe(true);
    expect(
      idleChecks({ listingRequests: 11, tokenRequests: 1, dynamodbRequests: 5 }).map((check) => check.pass),
    ).toEqual([false, false, false]);
  });

  it('holds the median change run to 2.5 times its API floor and 300 µs of CPU per changed project', () => {
    const within = changeRunChecks({ wallOverApiFloor: 2.5, cpuMsPerChangedProject: 0.3 });
    const over = changeRunChecks({ wallOverApiFloor: 3.97, cpuMsPerChangedProject: 0.874 });

    expect(within.every((check) => check.pass)).toBe(true);
    expect(over.map(({ measured, bound, pass }) => ({ measured, bound, pass }))).toEqual([
      { measured: 3.97, bound: 2.5, pass: false },
      { measured: 874, bound: 300, pass: false },
    ]);
  });

  it('allows the larger workspace at most 1.2 times the smaller one’s peak memory', () => {
    expect(memoryCheck(100, 120).pass).toBe(true);
    expect(memoryCheck(100, 123)).toMatchObject({ measured: 1.23, pass: false });
  });

  it('holds the poller bundle to 1.5× the bare SDK clients gzipped and 1.3× their cold import', () => {
    expect(bundleChecks({ gzipSize: 1.5, coldImport: 1.3 }).every((check) => check.pass)).toBe(true);
    expect(bundleChecks({ gzipSize: 2.21, coldImport: 1.83 }).map((check) => check.pass)).toEqual([
      false,
      false,
    ]);
  });
});
