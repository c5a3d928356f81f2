/**
 * A deleted document and the clients that never give up: y-websocket 1.5.4 reconnects for ever
 * after any close. Each retry is refused before the upgrade, without loading the room or any
 * update: it costs the session look-up every upgrade pays and one primary-key look-up.
 */
import { afterEach, expect, test } from 'bun:test';
import { WebsocketProvider as LegacyProvider } from 'y-websocket-legacy';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/close-codes.ts';
import { SYNC_PATH } from '../../shared/protocol.ts';
import { documentText, startTestServer, typeParagraph, waitFor } from '../test-support/harness.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('the retries of a y-websocket 1.5.4 client to a deleted document are refused before loading anything', async () => {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const { token } = await server.signIn('Ada');
  const { id } = await server.createDocument(token);
  const doc = new Y.Doc();
  const legacy = new LegacyProvider(`${server.wsUrl}${SYNC_PATH}`, id, doc, { params: { token }, disableBc: true, maxBackoffTime: 100 });
  cleanups.push(() => (legacy.destroy(), doc.destroy()));
  const closes: number[] = [];
  legacy.on('connection-close', (event: CloseEvent) => closes.push(event.code));
  await waitFor(() => legacy.synced, 5000, 'the legacy client to sync');
  typeParagraph(doc, 'soon gone');
  await waitFor(() => documentText(server.server.services.rooms.peek(id)?.doc ?? new Y.Doc()) === 'soon gone', 5000, 'the edit on the server');

  // Count what each retry costs from the moment of deletion.
  const store = server.server.services.store;
  const calls = { getDocument: 0, loadUpdates: 0, getSession: 0 };
  for (const name of Object.keys(calls) as (keyof typeof calls)[]) {
    const owner = (name === 'getSession' ? store.accounts : store) as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = owner[name]!.bind(owner);
    owner[name] = (...args: unknown[]) => {
      calls[name]++;
      return original(...args);
    };
  }
  const response = await server.request(`/api/documents/${id}`, { method: 'DELETE', token });
  expect(response.status).toBe(204);
  await waitFor(() => closes.length >= 1, 5000, 'the close');
  expect(closes[0]).toBe(CloseCode.notFound);
  const getDocumentAfterDelete = calls.getDocument;

  await waitFor(() => closes.length >= 8, 10_000, 'seven refused retries');
  const retries = closes.length - 1;
  expect(closes.slice(1).every((code) => code !== CloseCode.notFound)).toBe(true); // refused as HTTP, never opened
  expect(calls.loadUpdates).toBe(0);
  // One document look-up per retry (a retry may be in flight), and the session look-up.
  const lookups = calls.getDocument - getDocumentAfterDelete;
  expect(lookups).toBeGreaterThanOrEqual(retries);
  expect(lookups).toBeLessThanOrEqual(retries + 1);
  expect(calls.getSession).toBeLessThanOrEqual(retries + 1);
  await waitFor(() => server.server.services.rooms.size === 0, 5000, 'the room to be released');
  expect(server.server.services.rooms.peek(id)).toBeNull();
});
