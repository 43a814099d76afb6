import { describe, expect, it } from 'vitest';
import { parseMidaxoCredentials } from '../../../shared/config/midaxo-credentials.js';

const SECRET = 'super-secret-value-123';

describe('parseMidaxoCredentials', () => {
  it('reads client_id and client_secret from the secret JSON', () => {
    expect(parseMidaxoCredentials(`{"client_id":"abc","client_secret":"${SECRET}"}`, 'midaxo/acme')).toEqual({
      clientId: 'abc',
      clientSecret: SECRET,
    });
  });

  it('says the secret is not JSON without echoing it', () => {
    expect(() => parseMidaxoCredentials(`client_secret=${SECRET}`, 'midaxo/acme')).toThrow(
      /Secret midaxo\/acme is not JSON/,
    );
    expect(() => parseMidaxoCredentials(`client_secret=${SECRET}`, 'midaxo/acme')).not.toThrow(SECRET);
  });

  it('names the missing key without echoing the values present', () => {
    const attempt = () => parseMidaxoCredentials({ client_id: SECRET }, 'midaxo/acme');

    expect(attempt).toThrow(/client_secret: expected a non-empty string/);
    expect(attempt).not.toThrow(SECRET);
  });
});
