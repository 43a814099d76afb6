import fc from 'fast-check';
import jsonpointer from 'jsonpointer';
import { describe, expect, it } from 'vitest';
import { appendPointer, firstPointerKey } from '../../../shared/core/json-pointer.js';
import { AWKWARD_KEYS, objectOf } from './deep-json.js';

describe('appendPointer and firstPointerKey', () => {
  it('build a pointer that another implementation resolves to the member, for any key', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...AWKWARD_KEYS)), fc.string(), (key, inner) => {
        const document = objectOf([[key, objectOf([[inner, 'found']])]]);

        const pointer = appendPointer(appendPointer('', key), inner);

        expect(jsonpointer.get(document, pointer)).toBe('found');
        expect(firstPointerKey(pointer)).toBe(key);
      }),
    );
  });

  it('reads the empty key from "/" and nothing from the whole-document pointer ""', () => {
    expect(firstPointerKey('/')).toBe('');
    expect(firstPointerKey('//x')).toBe('');
    expect(firstPointerKey('')).toBeUndefined();
  });

  it('reads the first key of a pointer 10,000 levels long', () => {
    expect(firstPointerKey(`/a~1b${'/x'.repeat(10_000)}`)).toBe('a/b');
  });
});
