/**
 * zod for the schemas on the poller's path: the tree-shakable `zod/mini` API with the English messages
 * the full `zod` gives. The full API brings every locale and the JSON Schema converters into a bundle
 * (about 440 KiB of the poller's 900 KiB); this brings about 40 KiB. Import it as a namespace,
 * `import * as z from '…/support/schema.js'`, so the bundler keeps only what is used, and never from
 * 'zod/mini' directly, so the messages are always set. The CDK app and the Slack forwarder keep full zod.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
