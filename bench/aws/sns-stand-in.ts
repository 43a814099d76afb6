/**
 * The bench's SNS: there is no local SNS, so this SNSClient answers PublishBatch (every entry Successful)
 * and Publish in-process, with the XML SNS sends, which the SDK parses as it would SNS's. The modelled 15 ms round-trip is added separately, by `addModelledLatency`.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import { answerLocally, unanswered } from './local-answer.js';

export interface SnsStandIn {
  readonly client: SNSClient;
  /** The message bodies accepted since the last call, when the stand-in keeps them; then forgets them. */
  takeMessages(): string[];
}

export interface SnsStandInOptions {
  /** Keep accepted message bodies for `takeMessages`. Off where memory is measured. @default true */
  readonly keepMessages?: boolean;
}

interface Entry {
  readonly Id?: string;
  readonly Message?: string;
}

export const STAND_IN_ENDPOINT = 'http://127.0.0.1:9';
export const STAND_IN_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' } as const;

export function createSnsStandIn(options: SnsStandInOptions = {}): SnsStandIn {
  const keep = options.keepMessages ?? true;
  let messages: string[] = [];
  let accepted = 0;
  const accept = (message: string | undefined): string => {
    if (keep && message !== undefined) messages.push(message);
    accepted += 1;
    return `bench-message-${accepted}`;
  };

  // The endpoint is the discard port: should the local answer ever be bypassed, nothing reaches AWS.
  const client = new SNSClient({
    ...SDK_CLIENT_OPTIONS,
    region: 'eu-west-1',
    endpoint: STAND_IN_ENDPOINT,
    credentials: STAND_IN_CREDENTIALS,
  });
  answerLocally(
    client,
    'SNS',
    (operation, input) => {
      if (operation === 'PublishBatch') {
        const entries = (input.PublishBatchRequestEntries ?? []) as readonly Entry[];
        return {
          Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: accept(entry.Message) })),
          Failed: [],
        };
      }
      if (operation === 'Publish') return { MessageId: accept(input.Message as string | undefined) };
      return unanswered('SNS', operation);
    },
    'queryXml',
  );

  return {
    client,
    takeMessages() {
      const taken = messages;
      messages = [];
      return taken;
    },
  };
}
