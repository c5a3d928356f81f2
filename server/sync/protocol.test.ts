/** Our encoders and decoder, byte for byte against the frames y-protocols itself produces. */
import { describe, expect, test } from 'bun:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { SAVE_MARK_MESSAGE_TYPE } from '../../shared/protocol.ts';
import {
  EMPTY_AWARENESS_MESSAGE,
  ProtocolError,
  decodeAwarenessEntries,
  decodeMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSaveMark,
  encodeRoleMessage,
  encodePermissionDenied,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from './protocol.ts';
import * as authProtocol from 'y-protocols/auth';

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

/** A frame as y-websocket builds it: message type, then the y-protocols payload. */
function referenceFrame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('encoders match y-protocols', () => {
  const doc = docWithText('hello');

  test('sync step 1', () => {
    const reference = referenceFrame(0, (e) => syncProtocol.writeSyncStep1(e, doc));
    expect(encodeSyncStep1(Y.encodeStateVector(doc))).toEqual(reference);
  });

  test('sync step 2', () => {
    const reference = referenceFrame(0, (e) => syncProtocol.writeSyncStep2(e, doc));
    expect(encodeSyncStep2(Y.encodeStateAsUpdate(doc))).toEqual(reference);
  });

  test('sync update', () => {
    const update = Y.encodeStateAsUpdate(doc);
    const reference = referenceFrame(0, (e) => syncProtocol.writeUpdate(e, update));
    expect(encodeSyncUpdate(update)).toEqual(reference);
  });

  test('awareness and query-awareness', () => {
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Ada' } });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    expect(encodeAwareness(update)).toEqual(referenceFrame(1, (e) => encoding.writeVarUint8Array(e, update)));
    expect(encodeQueryAwareness()).toEqual(new Uint8Array([3]));
    awareness.destroy();
  });

  test('permission denied', () => {
    const reference = referenceFrame(2, (e) => authProtocol.writePermissionDenied(e, 'no'));
    expect(encodePermissionDenied('no')).toEqual(reference);
  });

  test('the keep-alive is an awareness update that y-protocols applies as a no-op', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    const decoder = decoding.createDecoder(EMPTY_AWARENESS_MESSAGE);
    expect(decoding.readVarUint(decoder)).toBe(1);
    let changed = false;
    awareness.on('change', () => (changed = true));
    awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), null);
    expect(changed).toBe(false);
    awareness.destroy();
  });
});

describe('decoder reads what y-protocols writes', () => {
  const doc = docWithText('abc');

  test('every message type round-trips', () => {
    const sv = Y.encodeStateVector(doc);
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeMessage(referenceFrame(0, (e) => syncProtocol.writeSyncStep1(e, doc)))).toEqual({ type: 'sync-step1', stateVector: sv });
    expect(decodeMessage(referenceFrame(0, (e) => syncProtocol.writeSyncStep2(e, doc)))).toEqual({ type: 'sync-step2', update });
    expect(decodeMessage(referenceFrame(0, (e) => syncProtocol.writeUpdate(e, update)))).toEqual({ type: 'sync-update', update });
    expect(decodeMessage(encodeAwareness(new Uint8Array([0])))).toEqual({ type: 'awareness', update: new Uint8Array([0]) });
    expect(decodeMessage(new Uint8Array([3]))).toEqual({ type: 'query-awareness' });
    expect(decodeMessage(encodePermissionDenied('why'))).toEqual({ type: 'auth', subType: 0, reason: 'why' });
  });

  test('malformed frames are protocol errors, never other exceptions', () => {
    const valid = encodeSyncUpdate(Y.encodeStateAsUpdate(doc));
    const bad = [
      new Uint8Array([]),
      new Uint8Array([9]),
      new Uint8Array([0, 7, 0]),
      valid.slice(0, valid.length - 2),
      new Uint8Array([...valid, 0]),
      new Uint8Array([0, 0, 200, 200, 200, 200, 200]),
    ];
    for (const frame of bad) expect(() => decodeMessage(frame)).toThrow(ProtocolError);
  });
});

describe('save marks (Quire\'s extension)', () => {
  test('the type is pinned and outside the y-websocket range', () => {
    expect(SAVE_MARK_MESSAGE_TYPE).toBe(100);
  });

  test('a mark is its type then its sequence number, both varUints', () => {
    expect([...encodeRoleMessage('viewer')]).toEqual([101, 6, ...new TextEncoder().encode('viewer')]);
    expect([...encodePermissionDenied('read-only')]).toEqual([2, 0, 9, ...new TextEncoder().encode('read-only')]);
    expect([...encodeSaveMark(0)]).toEqual([100, 0]);
    expect([...encodeSaveMark(5)]).toEqual([100, 5]);
    expect([...encodeSaveMark(300)]).toEqual([100, 0xac, 0x02]);
    expect([...encodeSaveMark(2 ** 32)]).toEqual([100, 0x80, 0x80, 0x80, 0x80, 0x10]);
  });

  test('decoding reads back what encoding wrote', () => {
    for (const seq of [0, 1, 127, 128, 300, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      expect(decodeMessage(encodeSaveMark(seq))).toEqual({ type: 'save-mark', seq });
    }
  });

  test('a mark without its number, with trailing bytes or out of range is a protocol error', () => {
    for (const frame of [[100], [100, 0x80], [100, 5, 0], [100, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]]) {
      expect(() => decodeMessage(Uint8Array.from(frame))).toThrow(ProtocolError);
    }
  });
});

describe('awareness entries', () => {
  test('re-encoded entries are byte for byte what y-protocols writes', () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Ada' }, cursor: null });
    awareness.setLocalState(null);
    awareness.setLocalState({ user: { name: 'Ada Ü' } });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const entries = decodeAwarenessEntries(update);
    expect(entries).toEqual([{ clientId: doc.clientID, clock: 3, json: '{"user":{"name":"Ada Ü"}}', removes: false }]);
    expect(encodeAwarenessEntries(entries)).toEqual(update);
    awareness.destroy();
  });

  test('a null state, however it is spelled, is a removal', () => {
    const removal = (json: string) => decodeAwarenessEntries(encodeAwarenessEntries([{ clientId: 7, clock: 3, json, removes: false }]))[0]!.removes;
    expect(removal('null')).toBe(true);
    expect(removal(' null ')).toBe(true);
    expect(removal('{}')).toBe(false);
  });
});
