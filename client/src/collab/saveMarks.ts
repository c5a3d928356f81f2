/**
 * Save marks (shared/protocol.ts): the frames, and the ledger that turns the server's
 * acknowledgements into "this many local edits are durable". Pure: no sockets, no timers.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { SAVE_MARK_MESSAGE_TYPE } from '../../../shared/protocol.ts';

/** `[varUint 100][varUint seq]`: "tell me when everything I sent before this is stored". */
export function encodeSaveMark(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SAVE_MARK_MESSAGE_TYPE);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

/** The sequence number of an acknowledgement whose message type was already read. */
export function readSaveMarkAck(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder);
}

/** A mark on its way: what it vouches for once acknowledged. */
interface SentMark {
  seq: number;
  /** Local edits counted when the mark was sent (all of them were sent before it). */
  edits: number;
  sentAt: number;
}

/**
 * The marks sent on the current connection and not yet acknowledged. Sequence numbers keep
 * growing across connections, so a late acknowledgement from a closed connection can never be
 * mistaken for one on the new connection (the ledger is cleared when a connection ends).
 */
export class MarkLedger {
  private nextSeq = 1;
  private outstanding: SentMark[] = [];

  /** Records a new mark covering `edits` edits and returns its sequence number. */
  send(edits: number, now: number): number {
    const seq = this.nextSeq++;
    this.outstanding.push({ seq, edits, sentAt: now });
    return seq;
  }

  /**
   * Applies an acknowledgement. Acknowledgements come in order, so every mark up to `seq` is
   * done. Returns the edits now known durable, or null when `seq` is not one of ours.
   */
  acknowledge(seq: number): number | null {
    const index = this.outstanding.findIndex((mark) => mark.seq === seq);
    if (index < 0) return null;
    const mark = this.outstanding[index];
    this.outstanding = this.outstanding.slice(index + 1);
    return mark?.edits ?? null;
  }

  /** Forgets every mark: the connection they were sent on has ended. */
  clear(): void {
    this.outstanding = [];
  }

  /** Marks waiting for an acknowledgement. */
  get pending(): number {
    return this.outstanding.length;
  }

  /** When the oldest mark still waiting was sent; null when none waits. */
  get oldestSentAt(): number | null {
    return this.outstanding[0]?.sentAt ?? null;
  }
}
