/**
 * Hand-made hostile sync frames, and a seeded generator of thousands of them for the fuzz test:
 * byte-level mutations of real frames beside structure-aware ones (deep and wide ProseMirror
 * trees as real Yjs updates, awareness states of every size and count).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../../shared/protocol.ts';
import { encodeAwareness, encodeQueryAwareness, encodeSyncStep1, encodeSyncUpdate } from '../sync/protocol.ts';
import { nestedBlockBomb } from './document-bombs.ts';

/** A Yjs update, then the next one that depends on it (its structs continue the first's clock). */
export function updateChain(clientId: number, texts: string[]): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const fragment = doc.getXmlFragment('default');
  for (const text of texts) {
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(text)]);
      fragment.insert(fragment.length, [paragraph]);
    });
  }
  doc.destroy();
  return updates;
}

/** A sync update whose structs reference structs the server never saw. */
export function missingStructsFrame(clientId = 0x5eed): Uint8Array {
  return encodeSyncUpdate(updateChain(clientId, ['first', 'second'])[1]!);
}

/** A sync update that only deletes items of a client the server never saw (a pending delete set). */
export function unknownDeleteFrame(clientId = 0xde1e): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const text = doc.getText('t');
  text.insert(0, 'abc');
  let deletion: Uint8Array | null = null;
  doc.on('update', (update: Uint8Array) => (deletion = update));
  text.delete(0, 2);
  doc.destroy();
  return encodeSyncUpdate(deletion!);
}

/** An awareness message with raw entries (any JSON text, valid or not). */
export function awarenessFrame(entries: { clientId: number; clock: number; json: string }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encodeAwareness(encoding.toUint8Array(encoder));
}

/** Varuints written one after another (for frames with made-up types). */
export function varUints(...values: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const value of values) encoding.writeVarUint(encoder, value);
  return encoding.toUint8Array(encoder);
}

/** mulberry32: a tiny seeded PRNG, so a failing fuzz run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generated frame and the name of the strategy that made it. */
export interface FuzzFrame {
  kind: string;
  frame: Uint8Array | string;
}

/** Limits the generator needs to know to make frames just past them. */
export interface FuzzLimits {
  maxMessageBytes: number;
  maxAwarenessBytes: number;
  maxNestingDepth: number;
}

const BLOCKS = ['paragraph', 'blockquote', 'bulletList', 'orderedList', 'listItem', 'heading', 'codeBlock'];

/**
 * A ProseMirror-like tree from a new Yjs client, as one update: `depth` levels of blocks, each
 * level up to `width` blocks side by side (some holding a text run), the next level inside one of them.
 */
export function treeUpdate(random: () => number, depth: number, width: number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const doc = new Y.Doc();
  doc.clientID = 1 + int(2 ** 30);
  doc.transact(() => {
    let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment(DOCUMENT_FRAGMENT);
    for (let level = 0; level < depth; level++) {
      const blocks = Array.from({ length: 1 + int(width) }, () => new Y.XmlElement(BLOCKS[int(BLOCKS.length)]!));
      parent.insert(int(parent.length + 1), blocks);
      for (const block of blocks) if (random() < 0.5) block.insert(0, [new Y.XmlText(`level ${level}`)]);
      parent = blocks[int(blocks.length)]!;
    }
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** An awareness frame of `count` states of about `bytes` UTF-8 bytes each, ASCII or multi-byte. */
export function awarenessStatesFrame(random: () => number, count: number, bytes: number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const wide = random() < 0.3; // '€' is 3 bytes in UTF-8 and 1 unit in UTF-16
  const filler = wide ? '€'.repeat(Math.max(0, Math.floor(bytes / 3))) : 'x'.repeat(bytes);
  return awarenessFrame(
    Array.from({ length: count }, () => ({ clientId: int(1e6), clock: 1 + int(1000), json: JSON.stringify({ cursor: { anchor: int(100) }, filler }) })),
  );
}

/** Generates hostile frames from `real` frames captured from a stock client. */
export function fuzzFrames(random: () => number, real: Uint8Array[], limits: FuzzLimits): () => FuzzFrame {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  // About 20 bytes a block: the most that fit in one frame, side by side or nested.
  const blocksPerFrame = Math.floor(limits.maxMessageBytes / 24);
  const depth = limits.maxNestingDepth;
  const stateSizes = [0, 16, 200, limits.maxAwarenessBytes - 64, limits.maxAwarenessBytes + 1, 2 * limits.maxAwarenessBytes];
  const strategies: [string, () => Uint8Array | string][] = [
    ['random bytes', () => bytes(int(64))],
    ['truncated', () => { const f = pick(real); return f.slice(0, int(f.length)); }],
    ['bit flips', () => { const f = pick(real).slice(); for (let i = int(4) + 1; i > 0; i--) f[int(f.length)]! ^= 1 << int(8); return f; }],
    ['byte splice', () => { const f = pick(real); const at = int(f.length); return Uint8Array.from([...f.slice(0, at), ...bytes(int(8)), ...f.slice(at + int(4))]); }],
    ['replayed real frame', () => pick(real)],
    ['wrong sync sub-type', () => varUints(0, 3 + int(300), 0)],
    ['unknown message type', () => Uint8Array.from([...varUints(4 + int(1000)), ...bytes(int(16))])],
    ['trailing bytes', () => Uint8Array.from([...pick(real), ...bytes(1 + int(8))])],
    ['missing structs', () => missingStructsFrame(1 + int(1_000_000))],
    ['unknown deletions', () => unknownDeleteFrame(1 + int(1_000_000))],
    ['awareness invalid JSON', () => awarenessFrame([{ clientId: int(1e6), clock: 1, json: pick(['{', '{"a":', 'undefined', '\u0000', "{'x':1}"]) }])],
    ['awareness huge state', () => awarenessFrame([{ clientId: int(1e6), clock: 1, json: JSON.stringify({ junk: 'x'.repeat(limits.maxAwarenessBytes) }) }])],
    ['text frame', () => pick(['hello', '{"type":"sync"}', '\u0000\u0001', ''])],
    ['oversized frame', () => new Uint8Array(limits.maxMessageBytes + 1 + int(1024))],
    ['step1 with junk state vector', () => encodeSyncStep1(bytes(int(32)))],
    ['query awareness', () => encodeQueryAwareness()],
    ['tree within the nesting limit', () => encodeSyncUpdate(treeUpdate(random, 1 + int(depth - 1), 1 + int(4)))],
    ['tree just past the nesting limit', () => encodeSyncUpdate(treeUpdate(random, depth + 1 + int(3), 1 + int(3)))],
    ['deep chain of blocks', () => encodeSyncUpdate(nestedBlockBomb(depth + int(blocksPerFrame - depth)))],
    ['wide row of blocks', () => encodeSyncUpdate(treeUpdate(random, 1, int(blocksPerFrame)))],
    ['wide and deep tree', () => encodeSyncUpdate(treeUpdate(random, 1 + int(2 * depth), 1 + int(Math.max(1, Math.floor(blocksPerFrame / (4 * depth))))))],
    ['awareness states of every size and count', () => awarenessStatesFrame(random, pick([1, 1, 2, 5, 33, 200]), pick(stateSizes))],
  ];
  return () => {
    const [kind, make] = pick(strategies);
    return { kind, frame: make() };
  };
}
