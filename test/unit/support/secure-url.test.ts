import { describe, expect, it } from 'vitest';
import { hasUserInfo, hostOf, secureUrl } from '../../../shared/support/secure-url.js';

describe('secureUrl', () => {
  it('allows https anywhere and plain http only to this machine', () => {
    expect(secureUrl('https://api.app-eu.midaxo.com')?.host).toBe('api.app-eu.midaxo.com');
    expect(secureUrl('http://127.0.0.1:8080/x')?.port).toBe('8080');
    expect(secureUrl('http://localhost/x')).toBeDefined();
    expect(secureUrl('http://localhost./x')).toBeDefined();
    expect(secureUrl('http://[::1]/x')).toBeDefined();
    expect(secureUrl('http://api.app-eu.midaxo.com')).toBeUndefined();
    expect(secureUrl('ftp://127.0.0.1')).toBeUndefined();
  });

  it('refuses text that is no URL without throwing', () => {
    expect(secureUrl('not a url')).toBeUndefined();
  });

  it.each([
    'https://user:pass@hooks.example.com',
    'https://user@hooks.example.com',
    'https://:secret@hooks.example.com',
    'https://%3Asecret@hooks.example.com/path',
    'http://user:pass@127.0.0.1:8080',
  ])('refuses user info in %s', (text) => {
    expect(secureUrl(text)).toBeUndefined();
    expect(hasUserInfo(new URL(text))).toBe(true);
  });

  it('accepts a bare @ that carries no user info', () => {
    expect(secureUrl('https://@hooks.example.com/x')?.href).toBe('https://hooks.example.com/x');
  });
});

describe('hostOf', () => {
  it('reads a host with a trailing dot, or in capitals, as the same host', () => {
    for (const text of [
      'https://hooks.slack.com/x',
      'https://hooks.slack.com./x',
      'https://HOOKS.Slack.COM../x',
    ])
      expect(hostOf(new URL(text))).toBe('hooks.slack.com');
  });
});
