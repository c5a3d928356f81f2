import { describe, expect, test } from 'bun:test';
import * as decoding from 'lib0/decoding';
import { SAVE_MARK_MESSAGE_TYPE } from '../../../shared/protocol.ts';
import { encodeSaveMark, MarkLedger, readSaveMarkAck } from './saveMarks.ts';

describe('save mark frames', () => {
  test('type 100 then the sequence number, as varUints', () => {
    expect([...encodeSaveMark(1)]).toEqual([100, 1]);
    expect([...encodeSaveMark(300)]).toEqual([100, 0xac, 0x02]);
    const decoder = decoding.createDecoder(encodeSaveMark(300));
    expect(decoding.readVarUint(decoder)).toBe(SAVE_MARK_MESSAGE_TYPE);
    expect(readSaveMarkAck(decoder)).toBe(300);
  });
});

describe('MarkLedger', () => {
  test('an acknowledgement reports the edits its mark covered, and settles earlier marks', () => {
    const ledger = new MarkLedger();
    const first = ledger.send(2, 0);
    const second = ledger.send(5, 10);
    expect(ledger.pending).toBe(2);
    expect(ledger.acknowledge(second)).toBe(5);
    expect(ledger.pending).toBe(0);
    expect(ledger.acknowledge(first)).toBeNull();
  });

  test('marks of a closed connection are forgotten, and numbers are never reused', () => {
    const ledger = new MarkLedger();
    const old = ledger.send(3, 0);
    ledger.clear();
    const fresh = ledger.send(3, 5);
    expect(fresh).toBeGreaterThan(old);
    // A late acknowledgement of the old connection's mark proves nothing about this one.
    expect(ledger.acknowledge(old)).toBeNull();
    expect(ledger.acknowledge(fresh)).toBe(3);
  });

  test('an unknown sequence number is ignored', () => {
    const ledger = new MarkLedger();
    ledger.send(1, 0);
    expect(ledger.acknowledge(99)).toBeNull();
    expect(ledger.pending).toBe(1);
  });
});
