/** A reader that stops reading is dropped after a bounded buffer and never slows anyone else. */
import { afterEach, expect, test } from 'bun:test';
import { createParser } from 'eventsource-parser';
import {
  connectClient,
  documentText,
  startTestServer,
  synced,
  typeParagraph,
  waitFor,
  type Client,
  type TestServer,
} from '../../test-support/harness.ts';
import { openStream, type StreamClient } from './stream-client.ts';

let server: TestServer | null = null;
const clients: Client[] = [];
const streams: StreamClient[] = [];
const aborts: AbortController[] = [];

afterEach(async () => {
  for (const abort of aborts.splice(0)) abort.abort();
  for (const s of streams.splice(0)) await s.close();
  for (const c of clients.splice(0)) c.destroy();
  await server?.close();
  server = null;
});

test('a stalled reader does not delay another reader or sync peers, and is dropped', async () => {
  const s = (server = await startTestServer({ env: { MAX_BUFFERED_BYTES: '65536', SSE_HEARTBEAT_MS: '15000', ACTIVITY_IDLE_MS: '100' } }));
  const ada = await s.signIn('Ada');
  const document = await s.createDocument(ada.token, { title: 'Flood' });

  // The stalled reader: opens the stream, takes the first bytes, then never reads again.
  const abort = new AbortController();
  aborts.push(abort);
  const stalledResponse = await s.request('/api/activity/stream', { token: ada.token, signal: abort.signal });
  expect(stalledResponse.status).toBe(200);
  const stalled = (stalledResponse.body as ReadableStream<Uint8Array>).getReader();
  await stalled.read();

  const healthy = await openStream(s, ada.token);
  streams.push(healthy);
  const writer = connectClient(s.wsUrl, document.id, ada.token);
  const peer = connectClient(s.wsUrl, document.id, ada.token);
  clients.push(writer, peer);
  await Promise.all([synced(writer), synced(peer)]);
  await waitFor(() => s.server.services.activity.hub.size === 2, 2000, 'two readers');

  // ~800 bytes per rename event: far beyond the 64 KiB buffer plus the kernel's socket buffers.
  const longTitle = (i: number) => `${String(i).padStart(6, '0')} ${'lorem ipsum '.repeat(16)}`.slice(0, 200).trim();
  const renames = 8000;
  let peerLatency = 0;
  for (let batch = 0; batch < renames / 100; batch++) {
    await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
        s.request(`/api/documents/${document.id}`, { method: 'PATCH', token: ada.token, json: { title: longTitle(batch * 100 + k) } }),
      ),
    );
    if (batch % 20 === 10) {
      // Mid-flood, an edit still reaches the other peer promptly.
      const started = performance.now();
      const expected = `${documentText(writer.doc)}edit ${batch}`;
      typeParagraph(writer.doc, `edit ${batch}`);
      await waitFor(() => documentText(peer.doc) === expected, 2000, 'peer sees the edit');
      peerLatency = Math.max(peerLatency, performance.now() - started);
    }
  }
  // The healthy reader got every rename, in order, while the stalled one sat there.
  await healthy.waitForEvents(renames, 15_000);
  const renamed = healthy.events.filter((e) => e.type === 'document.renamed');
  expect(renamed).toHaveLength(renames);
  const received = renamed.map((e) => e.data.id);
  expect(received).toEqual([...received].sort((a, b) => a - b));
  expect(peerLatency).toBeLessThan(1000);

  // The stalled reader was dropped: the server let it go, and its stream ends short of the flood.
  await waitFor(() => s.server.services.activity.hub.size === 1, 5000, 'stalled reader dropped');
  let stalledReceived = 0;
  const parser = createParser({ onEvent: () => stalledReceived++ });
  const decoder = new TextDecoder();
  const drained = (async () => {
    try {
      for (;;) {
        const { done, value } = await stalled.read();
        if (done) return 'ended';
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      return 'aborted';
    }
  })();
  expect(['ended', 'aborted']).toContain(await drained);
  expect(stalledReceived).toBeLessThan(renames);
  expect(healthy.ended).toBe(false);
}, 60_000);
