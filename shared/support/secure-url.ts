/**
 * The one rule for every URL the notifier sends to (Midaxo, webhooks, Slack): https, or plain http only
 * to this machine, so tests and the local mode can stand loopback servers in for the real ones; and never
 * user info (`user:password@`, `:secret@`), which would end up in configuration, the Lambda environment,
 * and any error that quotes the URL. `sendableUrl` adds the ports fetch refuses (fetch-bad-ports.ts):
 * every schema of a URL the notifier sends to refines with it.
 */
import { fetchBlockedPort, fetchBlockedPortMessage } from './fetch-bad-ports.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const SECURE_URL_EXPECTATION =
  'expected an https:// URL (http:// only for localhost), without user:password@';

/** The rule for what is deployed (`loopback: false`). */
export const DEPLOYED_URL_EXPECTATION =
  'expected an https:// URL without user:password@ (http:// is refused, even to localhost)';

export interface SecureUrlOptions {
  /** Plain http to this machine; not for what is deployed, where loopback is nobody's server. @default true */
  readonly loopback?: boolean;
}

/** Parses `text` as a URL the rule allows; undefined otherwise. */
export function secureUrl(text: string, options: SecureUrlOptions = {}): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  const loopback = (options.loopback ?? true) && url.protocol === 'http:' && LOOPBACK_HOSTS.has(hostOf(url));
  const allowed = url.protocol === 'https:' || loopback;
  return allowed && !hasUserInfo(url) ? url : undefined;
}

/** Why `text` is no URL the notifier can send to, or undefined: the rule above, then fetch's bad ports. */
export function sendableUrlProblem(text: string, options: SecureUrlOptions = {}): string | undefined {
  if (secureUrl(text, options) === undefined) {
    return options.loopback === false ? DEPLOYED_URL_EXPECTATION : SECURE_URL_EXPECTATION;
  }
  const port = fetchBlockedPort(text);
  return port === undefined ? undefined : fetchBlockedPortMessage(port);
}

/** The refinement of a schema of a URL the notifier sends to: `.refine(...sendableUrl())`. */
export function sendableUrl(options: SecureUrlOptions = {}) {
  return [
    (text: string) => sendableUrlProblem(text, options) === undefined,
    { error: (issue: { input: unknown }) => sendableUrlProblem(String(issue.input), options) },
  ] as const;
}

/** A user name or a password, even an empty name before a password (`https://:secret@host`). */
export function hasUserInfo(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}

/**
 * The host name to compare with a known host: `hooks.slack.com.` (a fully qualified name, with its
 * trailing dot) is the same host as `hooks.slack.com`. The URL parser has lowercased it already.
 */
export function hostOf(url: URL): string {
  return url.hostname.replace(/\.+$/, '');
}
