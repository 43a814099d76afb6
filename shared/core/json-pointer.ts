/** JSON Pointer (RFC 6901) building: `~` and `/` in keys are escaped so every path is unambiguous. */
function pointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function appendPointer(pointer: string, key: string): string {
  return `${pointer}/${pointerToken(key)}`;
}

export function firstPointerKey(pointer: string): string | undefined {
  const token = pointer.split('/')[1];
  return token === undefined || token === '' ? undefined : token.replaceAll('~1', '/').replaceAll('~0', '~');
}
