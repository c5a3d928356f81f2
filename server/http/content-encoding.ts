/**
 * Picks the pre-compressed variant of a static file to send, from the request's Accept-Encoding
 * (RFC 9110 §12.5.3): the client's highest q-value wins, the server's order breaks ties, `q=0`
 * refuses an encoding, and `*` stands for any encoding not named.
 */

/** The encodings the client build is pre-compressed in, best first. */
export const PRECOMPRESSED = [
  { encoding: 'br', extension: '.br' },
  { encoding: 'gzip', extension: '.gz' },
] as const;
export type Precompressed = (typeof PRECOMPRESSED)[number];

/** Each coding the header names, lower-cased, with its q-value (1 when absent, 0 when malformed). */
function weights(header: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim());
    if (!name) continue;
    const q = params.find((param) => /^q=/i.test(param));
    const value = q === undefined ? 1 : Number(q.slice(2));
    result.set(name.toLowerCase(), Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0);
  }
  return result;
}

/** The variant to send among `available` (in server preference order), or null for the file as it is. */
export function chooseEncoding(header: string | null, available: readonly Precompressed[]): Precompressed | null {
  if (!header) return null;
  const accepted = weights(header);
  const any = accepted.get('*');
  let best: Precompressed | null = null;
  let bestQ = 0;
  for (const variant of available) {
    const q = accepted.get(variant.encoding) ?? (variant.encoding === 'gzip' ? accepted.get('x-gzip') : undefined) ?? any ?? 0;
    if (q > bestQ) {
      best = variant;
      bestQ = q;
    }
  }
  return best;
}
