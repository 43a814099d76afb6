/**
 * Captures everything a run writes: process.stdout and process.stderr (where Powertools Logger and
 * Metrics write through their own Console) and the global console, so a test can search all log output.
 */
import { format } from 'node:util';

export interface CapturedOutput {
  text(): string;
  /** Puts the real streams and console back. */
  restore(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originalWrites = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  const originalConsole = CONSOLE_METHODS.map((method) => console[method]);
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => {
      chunks.push(`${format(...args)}\n`);
    };
  }
  return {
    text: () => chunks.join(''),
    restore() {
      streams.forEach((stream, i) => {
        stream.write = originalWrites[i] as typeof stream.write;
      });
      CONSOLE_METHODS.forEach((method, i) => {
        console[method] = originalConsole[i] as (typeof console)[typeof method];
      });
    },
  };
}
