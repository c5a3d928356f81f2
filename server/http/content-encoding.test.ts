import { describe, expect, test } from 'bun:test';
import { chooseEncoding, PRECOMPRESSED, type Precompressed } from './content-encoding.ts';

const both = PRECOMPRESSED;
const gzipOnly = PRECOMPRESSED.filter((variant) => variant.encoding === 'gzip');
const chosen = (header: string | null, available: readonly Precompressed[] = both) => chooseEncoding(header, available)?.encoding ?? 'identity';

describe('chooseEncoding', () => {
  test.each([
    [null, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['identity', 'identity'],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['br;q=nonsense, gzip', 'gzip'],
    ['br;q=1.5', 'identity'],
  ])('Accept-Encoding %p gets %p', (header, expected) => {
    expect(chosen(header)).toBe(expected);
  });

  test('only encodings the file was compressed in are offered', () => {
    expect(chosen('br, gzip', gzipOnly)).toBe('gzip');
    expect(chosen('br', gzipOnly)).toBe('identity');
  });
});
