/**
 * The one rule for every URL the notifier sends to (Midaxo, webhooks, Slack): https, or plain http only
 * to this machine, so tests and the local mode can stand loopback servers in for the real ones.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const SECURE_URL_EXPECTATION = 'expected an https:// URL (http:// only for localhost)';

/** Parses `text` as a URL the rule allows (optionally also refusing user:password@); undefined otherwise. */
export function secureUrl(text: string, options: { withoutCredentials?: boolean } = {}): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  const credentialFree = !options.withoutCredentials || (url.username === '' && url.password === '');
  return allowed && credentialFree ? url : undefined;
}
