/**
 * Options every AWS SDK client of the notifier is created with.
 * Layer: adapter.
 *
 * `cacheMiddleware`: the SDK resolves a command's middleware stack once per client and command type
 * instead of on every call (its documented switch, off by default). A change run sends a few hundred
 * PublishBatch and BatchWriteItem calls, and resolving the stack anew was a good part of each call's
 * CPU. The conditions: middleware is added to a client before its first call, never after; and a
 * `DynamoDBDocumentClient` (lib-dynamodb) refuses to wrap such a client.
 */
export const SDK_CLIENT_OPTIONS = { cacheMiddleware: true } as const;
