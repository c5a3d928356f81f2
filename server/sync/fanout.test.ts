import { expect, test } from 'bun:test';
import type { Connection } from './connection.ts';
import { Fanout } from './fanout.ts';
import { waitFor } from '../test-support/harness.ts';

// As for the default MAX_BUFFERED_BYTES (8 MiB): readers are taken off past half of it.
const BEHIND_AFTER = 4 * 1024 * 1024;

/** A reader as the fan-out sees it: what it was published, and how often its queue was asked for. */
class FakeReader {
  isOpen = true;
  subscribed = true;
  queueReads = 0;
  queued = 0;
  received = 0;
  subscribe(): void {
    this.subscribed = true;
  }
  unsubscribe(): void {
    this.subscribed = false;
  }
  send(): void {
    this.received++;
  }
  publish(): void {}
  drained(): void {}
  get queuedBytes(): number {
    this.queueReads++;
    return this.queued;
  }
}

function setUp(readerCount: number) {
  const readers = Array.from({ length: readerCount }, () => new FakeReader());
  const connections = new Set(readers as unknown as Connection[]);
  const published: number[] = [];
  const fanout = new Fanout('doc:t', connections, (_topic, frame) => published.push(frame.byteLength), BEHIND_AFTER, new Map());
  return { readers, fanout, published };
}

/** An awareness frame of `size` bytes (the fan-out does not read what it publishes). */
const frame = (size: number) => new Uint8Array(size);

test('typing asks no reader for its queue, while a large stream of broadcasts finds the reader that stopped reading', async () => {
  const { readers, fanout } = setUp(50);
  // Keystrokes: a hundred small broadcasts, well under a share of the bound.
  for (let i = 0; i < 100; i++) fanout.awareness(frame(30));
  await Bun.sleep(120);
  expect(readers.reduce((sum, reader) => sum + reader.queueReads, 0)).toBe(0);

  // One reader stops reading; its queue stands past the bound.
  const stuck = readers[7]!;
  stuck.queued = BEHIND_AFTER + 1;
  for (let i = 0; i < 100; i++) fanout.awareness(frame(1024));
  await waitFor(() => fanout.isBehind(stuck as unknown as Connection), 2_000, 'the stuck reader to be taken off the broadcast');
  expect(stuck.subscribed).toBe(false);
  expect(readers.filter((reader) => reader !== stuck).every((reader) => reader.subscribed)).toBe(true);
  fanout.close();
});

test('past half the bound published since the last look, the readers are looked at at once', () => {
  const { readers, fanout } = setUp(3);
  const stuck = readers[0]!;
  stuck.queued = BEHIND_AFTER + 1;
  fanout.awareness(frame(BEHIND_AFTER / 2));
  expect(fanout.isBehind(stuck as unknown as Connection)).toBe(true);
  fanout.close();
});
