/**
 * Test support shared by the history tests: stock clients closed after each test, Ada and Bob
 * synced in one document of hers, and the document's edit events as the feed lists them.
 */
import type { ActivityEvent, DocumentEditedEvent } from '../../../shared/activity.ts';
import type { Page } from '../../../shared/dto.ts';
import { connectClient, synced, type Client, type TestServer } from '../../test-support/harness.ts';

/** A stock y-websocket client of `documentId`, destroyed with the test's `cleanups`. */
export function cleanedClient(cleanups: (() => unknown)[], server: TestServer, documentId: string, token: string): Client {
  const connected = connectClient(server.wsUrl, documentId, token);
  cleanups.push(() => connected.destroy());
  return connected;
}

/** Ada and Bob signed in, a new document of Ada's titled `title`, and a synced client for each. */
export async function adaAndBobIn(cleanups: (() => unknown)[], server: TestServer, title: string) {
  const ada = await server.signIn('Ada');
  const bob = await server.signIn('Bob');
  const { id } = await server.createDocument(ada.token, { title });
  const alice = cleanedClient(cleanups, server, id, ada.token);
  const bobby = cleanedClient(cleanups, server, id, bob.token);
  await Promise.all([synced(alice), synced(bobby)]);
  return { ada, bob, id, alice, bobby };
}

/** The document's `document.edited` events, newest first, as the activity listing gives them. */
export async function editedEvents(server: TestServer, token: string, id: string): Promise<DocumentEditedEvent[]> {
  const response = await server.request(`/api/activity?documentId=${id}`, { token });
  if (response.status !== 200) throw new Error(`activity listing answered ${response.status}: ${await response.text()}`);
  const page = (await response.json()) as Page<ActivityEvent>;
  return page.items.filter((event): event is DocumentEditedEvent => event.type === 'document.edited');
}
