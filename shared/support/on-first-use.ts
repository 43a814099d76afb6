/**
 * A value built the first time it is asked for, then kept. Schemas on paths a run may never take (a
 * resumed checkpoint, an OAuth error answer) are built this way, and so are those first needed by an
 * invocation rather than at import: a zod/mini object schema costs about a tenth of a millisecond to build.
 */
export function onFirstUse<T extends object>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}
