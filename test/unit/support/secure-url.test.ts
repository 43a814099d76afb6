import { describe, expect, it } from 'vitest';
import { secureUrl } from '../../../shared/support/secure-url.js';

describe('secureUrl', () => {
  it('allows https anywhere and plain http only to this machine', () => {
    expect(secureUrl('https://api.app-eu.midaxo.com')?.host).toBe('api.app-eu.midaxo.com');
    expect(secureUrl('http://127.0.0.1:8080/x')?.port).toBe('8080');
    expect(secureUrl('http://localhost/x')).toBeDefined();
    expect(secureUrl('http://api.app-eu.midaxo.com')).toBeUndefined();
    expect(secureUrl('ftp://127.0.0.1')).toBeUndefined();
  });

  it('refuses text that is no URL without throwing', () => {
    expect(secureUrl('not a url')).toBeUndefined();
  });

  it('refuses user:password@ when asked to', () => {
    expect(secureUrl('https://user:pass@hooks.example.com', { withoutCredentials: true })).toBeUndefined();
    expect(secureUrl('https://user:pass@hooks.example.com')).toBeDefined();
  });
});
