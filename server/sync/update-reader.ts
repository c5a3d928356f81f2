/**
 * Reads an update (v1 encoding) by walking its bytes, allocating nothing: its state vector, and
 * whether it creates shared types. Yjs's own readers (`encodeStateVectorFromUpdate`,
 * `decodeUpdate`) decode every struct into an object, content included: for a document of
 * 300 KiB that is megabytes of short-lived objects, whose pages the runtime keeps long after
 * they are collected, and for each keystroke a second decode on top of the one applying it.
 *
 * It follows the layout Yjs writes (`writeStructs`, `UpdateEncoderV1`, `readItemContent`).
 * Bytes it does not understand go to Yjs's own reader, which checks them fully.
 */
import * as Y from 'yjs';

/** Content type ids (`info & 0b11111`), as Yjs numbers them. */
const enum Content {
  gc = 0,
  deleted = 1,
  json = 2,
  binary = 3,
  string = 4,
  embed = 5,
  format = 6,
  type = 7,
  any = 8,
  doc = 9,
  skip = 10,
}
const HAS_ORIGIN = 0b1000_0000;
const HAS_RIGHT_ORIGIN = 0b0100_0000;
const HAS_PARENT_SUB = 0b0010_0000;
/** Type refs of ContentType whose encoding carries a key (the XML node name or hook name). */
const XML_ELEMENT_REF = 3;
const XML_HOOK_REF = 5;

class MalformedUpdate extends Error {}

/** A read position in an update; every read is bounds-checked. */
class Cursor {
  private position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes read so far. */
  get offset(): number {
    return this.position;
  }

  byte(): number {
    if (this.position >= this.bytes.byteLength) throw new MalformedUpdate('update ends early');
    return this.bytes[this.position++]!;
  }

  /** lib0's varUint: 7 bits a byte, least significant first. */
  varUint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 53) throw new MalformedUpdate('varUint too long');
    }
  }

  /** Skips a struct id (client, clock). */
  id(): void {
    this.varUint();
    this.varUint();
  }

  /** lib0's signed varInt: only skipped. */
  skipVarInt(): void {
    while (this.byte() & 0x80);
  }

  skip(length: number): void {
    if (this.position + length > this.bytes.byteLength) throw new MalformedUpdate('update ends early');
    this.position += length;
  }

  /** Skips a varString, returning its length in UTF-16 code units (a JS string's length). */
  varString(): number {
    const byteLength = this.varUint();
    if (this.position + byteLength > this.bytes.byteLength) throw new MalformedUpdate('update ends early');
    let units = 0;
    for (let end = this.position + byteLength; this.position < end; this.position++) {
      const byte = this.bytes[this.position]!;
      // One code unit per sequence start; four-byte sequences are a surrogate pair.
      if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
    }
    return units;
  }

  /** Skips one value of lib0's `writeAny`. */
  any(): void {
    const type = this.byte();
    switch (type) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return;
      case 125:
        return this.skipVarInt();
      case 124:
        return this.skip(4);
      case 123:
      case 122:
        return this.skip(8);
      case 119:
        this.varString();
        return;
      case 118: {
        for (let entries = this.varUint(); entries > 0; entries--) {
          this.varString();
          this.any();
        }
        return;
      }
      case 117: {
        for (let items = this.varUint(); items > 0; items--) this.any();
        return;
      }
      case 116:
        return this.skip(this.varUint());
      default:
        throw new MalformedUpdate(`unknown any type ${type}`);
    }
  }

  /** Skips an item's content, returning its length in clock ticks. */
  content(kind: number): number {
    switch (kind) {
      case Content.deleted:
        return this.varUint();
      case Content.json: {
        const length = this.varUint();
        for (let i = 0; i < length; i++) this.varString();
        return length;
      }
      case Content.binary:
        this.skip(this.varUint());
        return 1;
      case Content.string:
        return this.varString();
      case Content.embed:
        this.varString();
        return 1;
      case Content.format:
        this.varString();
        this.varString();
        return 1;
      case Content.type: {
        const typeRef = this.varUint();
        if (typeRef === XML_ELEMENT_REF || typeRef === XML_HOOK_REF) this.varString();
        return 1;
      }
      case Content.any: {
        const length = this.varUint();
        for (let i = 0; i < length; i++) this.any();
        return length;
      }
      case Content.doc:
        this.varString();
        this.any();
        return 1;
      default:
        throw new MalformedUpdate(`unknown content ${kind}`);
    }
  }
}

/** What `walkUpdate` tells of each struct; return true to stop the walk. */
type StructVisitor = (client: number, clock: number, length: number, kind: number) => boolean | void;

/** Reads one struct after its info byte; returns its length in clock ticks. */
function readStruct(cursor: Cursor, info: number): number {
  const kind = info & 0b1_1111;
  if (kind === Content.gc || kind === Content.skip) return cursor.varUint();
  const copiesParent = (info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) !== 0;
  if (info & HAS_ORIGIN) cursor.id();
  if (info & HAS_RIGHT_ORIGIN) cursor.id();
  if (!copiesParent) {
    // The parent: a root type's name, or the id of the item holding the type.
    if (cursor.varUint() === 1) cursor.varString();
    else cursor.id();
    if (info & HAS_PARENT_SUB) cursor.varString();
  }
  return cursor.content(kind);
}

/** Reads a delete set through, telling each range (unless `visit` is omitted). */
function readDeleteSet(cursor: Cursor, visit?: (client: number, clock: number, length: number) => void): void {
  for (let clients = cursor.varUint(); clients > 0; clients--) {
    const client = cursor.varUint();
    for (let ranges = cursor.varUint(); ranges > 0; ranges--) {
      const clock = cursor.varUint();
      const length = cursor.varUint();
      visit?.(client, clock, length);
    }
  }
}

/**
 * Visits every struct of `update` in order, then reads its delete set through (unless a visit
 * stopped the walk). Throws `MalformedUpdate` on bytes it cannot read.
 */
function walkUpdate(update: Uint8Array, visit: StructVisitor): void {
  const cursor = new Cursor(update);
  for (let segments = cursor.varUint(); segments > 0; segments--) {
    const structs = cursor.varUint();
    const client = cursor.varUint();
    let clock = cursor.varUint();
    for (let i = 0; i < structs; i++) {
      const info = cursor.byte();
      const length = readStruct(cursor, info);
      if (visit(client, clock, length, info & 0b1_1111) === true) return;
      clock += length;
    }
  }
  // Yjs applies an update's structs before it reads its delete set, so one cut short there
  // would leave the structs applied.
  readDeleteSet(cursor);
}

/** One client's run of structs in an update: the clocks it covers and where its structs' bytes lie. */
export interface UpdateSegment {
  client: number;
  clock: number;
  /** The clock after its last struct. */
  end: number;
  structs: number;
  /** Byte offsets of its first struct and past its last one. */
  start: number;
  stop: number;
}

/** Where an update's parts lie: its struct runs, and its deletions as flat (client, clock, length) triples. */
export interface UpdateLayout {
  segments: UpdateSegment[];
  deletions: number[];
}

/**
 * The layout of `update`, or null when it holds a Skip (a gap: only Yjs's merge handles it) or
 * does not read as Yjs writes it, up to its last byte.
 */
export function readLayout(update: Uint8Array): UpdateLayout | null {
  const cursor = new Cursor(update);
  const segments: UpdateSegment[] = [];
  const deletions: number[] = [];
  try {
    for (let count = cursor.varUint(); count > 0; count--) {
      const structs = cursor.varUint();
      const client = cursor.varUint();
      const clock = cursor.varUint();
      const start = cursor.offset;
      let end = clock;
      for (let i = 0; i < structs; i++) {
        const info = cursor.byte();
        if ((info & 0b1_1111) === Content.skip) return null;
        end += readStruct(cursor, info);
      }
      segments.push({ client, clock, end, structs, start, stop: cursor.offset });
    }
    readDeleteSet(cursor, (client, clock, length) => deletions.push(client, clock, length));
    return cursor.offset === update.byteLength ? { segments, deletions } : null;
  } catch (error) {
    if (error instanceof MalformedUpdate) return null;
    throw error;
  }
}

/** The encoded state vector of `update`: equal in meaning to `Y.encodeStateVectorFromUpdate(update)`. */
export function stateVectorOfUpdate(update: Uint8Array): Uint8Array {
  try {
    return Y.encodeStateVector(readStateVector(update));
  } catch (error) {
    if (error instanceof MalformedUpdate) return Y.encodeStateVectorFromUpdate(update);
    throw error;
  }
}

/**
 * Whether `update` may create a shared type (a block, a text run, a map): false only when it
 * carries none and every byte of it, delete set included, reads as Yjs writes it, so that nesting
 * and node counts cannot change (typing, formatting, deleting). True when it cannot tell: the
 * caller's full decode then checks it, and refuses it before anything is applied.
 */
export function mayCreateTypes(update: Uint8Array): boolean {
  let found = false;
  try {
    walkUpdate(update, (_client, _clock, _length, kind) => (found = kind === Content.type));
    return found;
  } catch (error) {
    if (error instanceof MalformedUpdate) return true;
    throw error;
  }
}

/** Counts as `encodeStateVectorFromUpdate` does: a client's clock runs while its structs are contiguous from 0. */
function readStateVector(update: Uint8Array): Map<number, number> {
  const stateVector = new Map<number, number>();
  let currentClient: number | null = null;
  let counting = false;
  let end = 0;
  const finishClient = () => {
    if (currentClient !== null && end !== 0) stateVector.set(currentClient, end);
  };
  walkUpdate(update, (client, clock, length, kind) => {
    if (client !== currentClient) {
      finishClient();
      currentClient = client;
      end = 0;
      counting = clock === 0;
    }
    if (kind === Content.skip) counting = false;
    if (counting) end = clock + length;
  });
  finishClient();
  return stateVector;
}
