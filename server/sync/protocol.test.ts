/** Our encoders and decoder, byte for byte against the frames y-protocols itself produces. */
import { describe, expect, test } from 'bun:test';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  EMPTY_AWARENESS_MESSAGE,
  ProtocolError,
  decodeMessage,
  encodeAwareness,
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
