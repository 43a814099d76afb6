/**
 * JSON Pointer (RFC 6901): `~` and `/` in keys are escaped so every path is unambiguous. The empty
 * key is a key like any other: `/` points at it, while the empty pointer `` is the whole document.
 */
function pointerToken(key: string): string {
  if (!key.includes('~') && !key.includes('/')) return key;
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function keyOfToken(token: string): string {
  if (!token.includes('~')) return token;
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

export function appendPointer(pointer: string, key: string): string {
  return `${pointer}/${pointerToken(key)}`;
}

/** The top-level key a pointer starts with; undefined for the whole document or a malformed pointer. */
export function firstPointerKey(pointer: string): string | undefined {
  if (!pointer.startsWith('/')) return undefined;
  const end = pointer.indexOf('/', 1);
  return keyOfToken(pointer.slice(1, end === -1 ? undefined : end));
}
