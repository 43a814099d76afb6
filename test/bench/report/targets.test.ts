import { describe, expect, it } from 'vitest';
import {
  bundleChecks,
  changeRunChecks,
  dynamoDbWriteBound,
  idleChecks,
  memoryCheck,
  requestChecks,
  speedUpCheck,
} from '../../../bench/report/targets.js';

describe('bench targets', () => {
  it('holds AWS requests to one read per 100 listed, two writes per 25 changed plus the process item, and SNS calls per 10', () => {
    const checks = requestChecks({
      scanned: 1_000,
      changed: 1_000,
      requests: {
        'DynamoDB.BatchGetItem': 10,
        'DynamoDB.BatchWriteItem': 80,
        'DynamoDB.UpdateItem': 3,
        'SNS.PublishBatch': 100,
      },
    });

    expect(checks.map(({ label, measured, bound, pass }) => ({ label, measured, bound, pass }))).toEqual([
      { label: 'DynamoDB reads', measured: 10, bound: 10, pass: true },
      { label: 'DynamoDB writes', measured: 83, bound: 83, pass: true },
      { label: 'SNS calls', measured: 100, bound: 102, pass: true },
    ]);
  });

  it('allows an event-log batch, a state batch per 25 changes, the outbox and claim and release', () => {
    expect(dynamoDbWriteBound(0)).toBe(2);
    expect(dynamoDbWriteBound(1)).toBe(5);
    expect(dynamoDbWriteBound(25)).toBe(5);
    expect(dynamoDbWriteBound(26)).toBe(7);
  });

  it('fails a run that still reads the old lease, watermark and checkpoint items', () => {
    const [reads, writes] = requestChecks({
      scanned: 1_000,
      changed: 1_000,
      requests: {
        'DynamoDB.GetItem': 2,
        'DynamoDB.BatchGetItem': 10,
        'DynamoDB.BatchWriteItem': 80,
        'DynamoDB.PutItem': 1,
        'DynamoDB.UpdateItem': 2,
        'DynamoDB.DeleteItem': 1,
      },
    });

    expect(reads).toMatchObject({ measured: 12, bound: 10, pass: false });
    expect(writes).toMatchObject({ measured: 84, bound: 83, pass: false });
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
