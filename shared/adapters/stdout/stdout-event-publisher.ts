/**
 * EventPublisher that prints events: readable text for a person, or one CloudEvents JSON document per line
 * (`json`) for `jq` and other programs. Layer: adapter.
 * A publish resolves once the stream took the text, and rejects when it cannot (e.g. a closed pipe).
 */
import type { ChangeEvent } from '../../core/change-event.js';
import type { EventPublisher } from '../../core/ports.js';
import { type RenderOptions, renderEventText } from './render-event.js';

export type OutputFormat = 'text' | 'json';

/** The part of a writable stream used; `process.stdout` fits. */
export interface TextSink {
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

export interface StdoutEventPublisherOptions extends RenderOptions {
  /** @default 'text' */
  readonly format?: OutputFormat;
  /** @default process.stdout */
  readonly output?: TextSink;
}

export function createStdoutEventPublisher(options: StdoutEventPublisherOptions = {}): EventPublisher {
  const output = options.output ?? process.stdout;
  const render =
    options.format === 'json'
      ? (event: ChangeEvent) => `${JSON.stringify(event)}\n`
      : (event: ChangeEvent) => renderEventText(event, options);

  return {
    async publish(events) {
      if (events.length === 0) return;
      const text = events.map(render).join('');
      await new Promise<void>((resolve, reject) => {
        output.write(text, (error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
