/**
 * Ports `fetch` never connects to: the Fetch standard's "bad ports"
 * (https://fetch.spec.whatwg.org/#bad-port), ports of other protocols (SMTP, IRC, X11, …) that browsers
 * and Node.js's fetch (undici) refuse before opening a connection. A receiver on one of them would fail
 * every delivery as "fetch failed: bad port", so a URL naming one is refused when it is configured.
 * The list is Node.js 20's (its test checks each port against Node's own fetch).
 */
const BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The port of `text` when it is a URL on one of the ports fetch refuses; undefined otherwise. */
export function fetchBlockedPort(text: string): number | undefined {
  if (!URL.canParse(text)) return undefined;
  // An empty port is the scheme's own (80, 443), which fetch never refuses.
  const { port } = new URL(text);
  return port !== '' && BAD_PORTS.has(Number(port)) ? Number(port) : undefined;
}

/** Why a URL on a refused port is not taken, for the message of whoever validates it. */
export function fetchBlockedPortMessage(port: number): string {
  return (
    `port ${port} is one fetch never connects to (a "bad port" of the Fetch standard, refused by ` +
    'Node.js and browsers alike), so every delivery would fail: use another port'
  );
}

/** Every port fetch refuses, for the test that checks the list against Node.js's own fetch. */
export function fetchBlockedPorts(): readonly number[] {
  return [...BAD_PORTS];
}

/** The refinement of a URL schema with rules of its own (the stack's): `.refine(...notOnFetchBlockedPort)`. */
export const notOnFetchBlockedPort = [
  (text: string) => fetchBlockedPort(text) === undefined,
  {
    error: (issue: { input: unknown }) => fetchBlockedPortMessage(fetchBlockedPort(String(issue.input)) ?? 0),
  },
] as const;
