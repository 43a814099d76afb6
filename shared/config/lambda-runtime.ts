/**
 * Node flags of the deployed Lambdas, shared with the benchmark so it measures what is deployed.
 * The heap cap keeps V8 from sizing its old space from the host's memory and letting garbage pile up
 * over a long run: the poller's live heap stays near 20 MB whatever the workspace (one page at a time),
 * and with the cap its peak memory stays flat from 10,000 to 50,000 projects.
 */
export const LAMBDA_HEAP_FLAGS: readonly string[] = ['--max-old-space-size=192'];

export const LAMBDA_NODE_OPTIONS = ['--enable-source-maps', ...LAMBDA_HEAP_FLAGS].join(' ');
