/**
 * A failing SNS stand-in for the poller: PublishBatch answered by aws-sdk-client-mock on one client
 * instance, failing whole calls with throttling and single entries with internal errors, drawn from a
 * seeded PRNG. Every entry it accepts is recorded with the run it arrived in, which is how the suite
 * counts what subscribers would have received, duplicates included.
 */
import {
  PublishBatchCommand,
  type PublishBatchCommandOutput,
  type PublishBatchRequestEntry,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { mulberry32 } from '../../sandbox/seeded-random.js';
import type { ChangeEvent } from '../../shared/core/change-event.js';

export interface SnsFaultRates {
  /** Share of PublishBatch calls that fail whole with ThrottledException (nothing accepted). */
  readonly throttleRate?: number;
  /** Share of entries, in calls that go through, answered as Failed (InternalError, not a sender fault). */
  readonly entryFailureRate?: number;
}

export interface AcceptedEvent {
  readonly event: ChangeEvent;
  /** The label of the run current when SNS accepted it (see `startRun`). */
  readonly run: number;
}

export interface SnsStandIn {
  readonly client: SNSClient;
  readonly accepted: readonly AcceptedEvent[];
  readonly faults: { readonly throttledCalls: number; readonly failedEntries: number };
  setFaults(rates: SnsFaultRates): void;
  /** From the next call on, every call is throttled until `endOutage`: SNS is down for the rest of the run. */
  startOutage(afterCalls: number): void;
  endOutage(): void;
  /** Labels the deliveries that follow. */
  startRun(run: number): void;
  /** Events accepted since `startRun(run)`. */
  acceptedIn(run: number): AcceptedEvent[];
}

/** The CloudEvent of a published entry: the message itself, or its `default` with MessageStructure=json. */
export function eventOfEntry(entry: PublishBatchRequestEntry): ChangeEvent {
  const body = JSON.parse(entry.Message ?? '');
  return (entry.MessageStructure === 'json' ? JSON.parse(body.default) : body) as ChangeEvent;
}

export function createSnsStandIn(seed: number, region = 'eu-west-1'): SnsStandIn {
  const client = new SNSClient({ region });
  const random = mulberry32(seed);
  const accepted: AcceptedEvent[] = [];
  let rates: SnsFaultRates = {};
  let run = 0;
  let callsUntilOutage: number | undefined;
  let throttledCalls = 0;
  let failedEntries = 0;

  const answer = (input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
    const outage = callsUntilOutage !== undefined && callsUntilOutage-- <= 0;
    if (outage || random() < (rates.throttleRate ?? 0)) {
      throttledCalls += 1;
      throw new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    }
    const output: Pick<PublishBatchCommandOutput, 'Successful' | 'Failed'> = { Successful: [], Failed: [] };
    for (const entry of input.PublishBatchRequestEntries) {
      if (random() < (rates.entryFailureRate ?? 0)) {
        failedEntries += 1;
        output.Failed?.push({
          Id: entry.Id,
          Code: 'InternalError',
          SenderFault: false,
          Message: 'Try again',
        });
      } else {
        accepted.push({ event: eventOfEntry(entry), run });
        output.Successful?.push({ Id: entry.Id, MessageId: `msg-${accepted.length}` });
      }
    }
    return output;
  };
  mockClient(client).on(PublishBatchCommand).callsFake(answer);

  return {
    client,
    accepted,
    get faults() {
      return { throttledCalls, failedEntries };
    },
    setFaults(next) {
      rates = next;
    },
    startOutage(afterCalls) {
      callsUntilOutage = afterCalls;
    },
    endOutage() {
      callsUntilOutage = undefined;
    },
    startRun(label) {
      run = label;
    },
    acceptedIn: (label) => accepted.filter((delivery) => delivery.run === label),
  };
}
