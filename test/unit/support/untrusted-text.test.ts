import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  errorCode,
  networkErrorCode,
  quoteUntrusted,
  REDACTED,
} from '../../../shared/support/untrusted-text.js';

const CLIENT_ID = 'acme-client';
const SECRETS = [
  'Fault+Suite/Secret=42&never-logged',
  'q3ZkV8rLmN2pX7tYwB4cF9hJ1sD6gK0aE5uR8iO3lP2zQ7xC4vM9nB1yT6wS0eH5',
];

/** The characters of base64(before + secret + after) that encode the secret's bytes alone. */
function base64Within(before: string, secret: string, after: string): [string, string] {
  const encoded = Buffer.from(`${before}${secret}${after}`).toString('base64');
  const start = Math.ceil((Buffer.byteLength(before) * 4) / 3);
  const end = Math.floor(((Buffer.byteLength(before) + Buffer.byteLength(secret)) * 4) / 3);
  return [encoded, encoded.slice(start, end)];
}

/** Every form of the secret a server might echo: its name, the echo, and the part of it that must vanish. */
function echoesOf(secret: string): [string, string, string][] {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const basic = (pair: string) => Buffer.from(pair).toString('base64');
  const plain: [string, string][] = [
    ['raw', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', form],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['Basic credentials', basic(`${CLIENT_ID}:${secret}`)],
    ['Basic credentials, form-encoded first', basic(`${CLIENT_ID}:${form}`)],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['lowercase hex', Buffer.from(secret).toString('hex')],
    ['uppercase hex', Buffer.from(secret).toString('hex').toUpperCase()],
    ['upper case', secret.toUpperCase()],
    ['its first 12 characters', secret.slice(0, 12)],
    ['its last 10 characters', secret.slice(-10)],
    ['a cut-off hex prefix', Buffer.from(secret).toString('hex').slice(0, 16)],
  ];
  return [
    ...plain.map(([name, echo]): [string, string, string] => [name, echo, echo]),
    ['base64 of the request body', ...base64Within('{"client_secret":"', secret, '"}')],
    ['base64 one byte into a text', ...base64Within('x', secret, 'yz')],
    ['base64 two bytes into a text', ...base64Within('xy', secret, 'z')],
  ];
}

describe('createRedactor', () => {
  const redact = createRedactor(SECRETS.map((value) => ({ value, basicAuthUser: CLIENT_ID })));

  for (const secret of SECRETS) {
    it.each(echoesOf(secret))(`blanks out %s (${secret.slice(0, 5)}…)`, (_, echo, mustVanish) => {
      const redacted = redact(`Unknown client. Received: ${echo} (end)`);

      expect(redacted).toMatch(/^Unknown client\. Received: .*\[redacted\].* \(end\)$/);
      for (let start = 0; start + 8 <= mustVanish.length; start += 2) {
        expect(redacted.toLowerCase()).not.toContain(mustVanish.slice(start, start + 8).toLowerCase());
      }
    });
  }

  it('leaves text without a secret as it is', () => {
    const text = 'invalid_client: Client authentication failed for acme-client (request 7f3a9c)';

    expect(redact(text)).toBe(text);
  });

  it('hides a secret shorter than a piece only where it stands whole', () => {
    const short = createRedactor([{ value: 'pw1' }]);

    expect(short('got pw1 and PW1, not pw')).toBe(`got ${REDACTED} and ${REDACTED}, not pw`);
  });

  it('hides nothing for an empty secret', () => {
    expect(createRedactor([{ value: '' }])('text')).toBe('text');
  });
});

describe('quoteUntrusted', () => {
  it('removes terminal escape sequences, control and bidi characters, and makes line breaks spaces', () => {
    const hostile =
      '\u001b[2J\u001b[31mred\u001b[0m\u001b]0;window title\u0007 \u009b1mbold \u202eevil\u202c\u0000\r\nnext\tline\u001b';

    expect(quoteUntrusted(hostile, { maxLength: 200 })).toBe('red bold evil next line');
  });

  it('cuts long text to the limit, ending in an ellipsis, without splitting a character', () => {
    const quoted = quoteUntrusted(`${'x'.repeat(99)}😀${'y'.repeat(1_000_000)}`, { maxLength: 101 });

    expect(quoted).toBe(`${'x'.repeat(99)}…`);
    expect(quoteUntrusted('short', { maxLength: 10 })).toBe('short');
  });

  it('blanks out secrets before cutting, so no cut-off piece of one survives', () => {
    const redact = createRedactor([{ value: SECRETS[1] as string }]);

    const quoted = quoteUntrusted(`secret: ${SECRETS[1]}`, { maxLength: 20, redact });

    expect(quoted).toBe(`secret: ${REDACTED}`);
  });

  it('blanks out a secret an escape sequence was put into', () => {
    const secret = SECRETS[0] as string;
    const redact = createRedactor([{ value: secret }]);

    const quoted = quoteUntrusted(`${secret.slice(0, 6)}\u001b[0m${secret.slice(6)}`, {
      maxLength: 200,
      redact,
    });

    expect(quoted).toBe(REDACTED);
  });
});

describe('errorCode', () => {
  it.each(['invalid_client', 'ECONNRESET', 'UND_ERR_SOCKET', 'TimeoutError'])('keeps %s', (code) => {
    expect(errorCode(code)).toBe(code);
  });

  it.each([
    'https://user:secret@example.com',
    'Client authentication failed',
    '\u001b[31minvalid_client',
    'x'.repeat(65),
    '',
    42,
  ])('refuses %j', (value) => {
    expect(errorCode(value)).toBeUndefined();
  });
});

describe('networkErrorCode', () => {
  it("names a refused connection by its code, not by fetch's message", async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');

    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);

    expect(networkErrorCode(error)).toBe('ECONNREFUSED');
  });

  it('never quotes a message, whatever it holds', () => {
    const cause = Object.assign(new Error('connect to https://user:secret@api.example.com failed'), {
      code: 'invalid code with spaces',
    });

    expect(networkErrorCode(new TypeError('fetch failed', { cause }))).toBe('Error');
    expect(networkErrorCode(new DOMException('The operation timed out.', 'TimeoutError'))).toBe(
      'TimeoutError',
    );
    expect(networkErrorCode('a string')).toBe('unknown error');
  });
});
