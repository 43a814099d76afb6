/** What the bench's middleware needs of an AWS SDK v3 client: its middleware stack, whatever the service. */
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';

export interface MiddlewareClient {
  readonly middlewareStack: MiddlewareStack<object, MetadataBearer>;
}
