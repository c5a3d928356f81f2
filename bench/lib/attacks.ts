/**
 * What one signed-in account can throw at a server, for the hostile-neighbour scenario: each
 * attack is bounded in count and time (it stops and lets go of everything when its signal is
 * aborted), sends only to the server under test on loopback, and reports what the server
 * answered. The inputs are the ones the hostile test suites use, built before anything is
 * measured (`buildPayloads`).
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT, MessageType, SYNC_PATH } from '../../shared/protocol.ts';
import { nestedBlockBomb } from '../../server/test-support/document-bombs.ts';
import { createDocument } from '../servers/quire-api.ts';

/** Where to attack and as whom. */
export interface AttackTarget {
  httpUrl: string;
  wsUrl: string;
  token: string;
  /** The document the honest clients are editing. */
  honestDocumentId: string;
  /** Aborted when the attack's time is up: it stops sending and closes what it holds. */
  signal: AbortSignal;
}

/**
 * The large hostile inputs, built once before the first case: building them keeps this process
 * busy for a second or more, which the scenario's /healthz poller (in this process) would
 * otherwise count as the server's wait.
 */
export interface AttackPayloads {
  /** A chain of 40,000 nested blocks in one update (864 KB). */
  nestedBlocks: Uint8Array;
  /** 300,000 empty paragraphs as six updates of 50,000 (each under MAX_MESSAGE_BYTES). */
  wideFrames: Uint8Array[];
}

/** Builds the payloads of every attack. */
export function buildPayloads(): AttackPayloads {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(DOCUMENT_FRAGMENT);
  const wideFrames: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => wideFrames.push(updateFrame(update)));
  for (let sent = 0; sent < 300_000; sent += 50_000) {
    doc.transact(() => fragment.insert(fragment.length, Array.from({ length: 50_000 }, () => new Y.XmlElement('paragraph'))));
  }
  doc.destroy();
  return { nestedBlocks: updateFrame(nestedBlockBomb(40_000)), wideFrames };
}

/** What an attack did and what the server answered, in a few words for the report. */
export interface AttackOutcome {
  sent: number;
  answer: string;
}

export type Attack = (target: AttackTarget, payloads: AttackPayloads) => Promise<AttackOutcome>;

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Opens a sync socket and resolves once it is open (or with null if it was refused); it closes when the attack's time is up. */
function openSocket(target: AttackTarget, documentId: string): Promise<WebSocket | null> {
  const socket = new WebSocket(`${target.wsUrl}${SYNC_PATH}/${documentId}?token=${encodeURIComponent(target.token)}`);
  socket.binaryType = 'arraybuffer';
  const stop = () => socket.close();
  target.signal.addEventListener('abort', stop, { once: true });
  socket.addEventListener('close', () => target.signal.removeEventListener('abort', stop));
  return new Promise((resolve) => {
    socket.addEventListener('open', () => resolve(socket));
    socket.addEventListener('close', () => resolve(null));
  });
}

/** The HTTP status of a request (0 if it failed or the attack's time ran out), its body read and dropped. */
async function statusOf(target: AttackTarget, path: string, init: RequestInit = {}): Promise<number> {
  try {
    const response = await fetch(`${target.httpUrl}${path}`, { ...init, signal: target.signal });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

const bearer = (target: AttackTarget) => ({ authorization: `Bearer ${target.token}` });

function closed(socket: WebSocket): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
}

/** Counts of HTTP statuses, e.g. "421×20". */
function statusSummary(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${status}×${count}`).join(' ');
}

/** Finding 1: a chain of 40,000 nested blocks in one frame (864 KB), into the attacker's own document. */
export const nestedBlocks: Attack = async (target, payloads) => {
  const documentId = await createDocument(target.httpUrl, target.token, 'nested');
  const socket = await openSocket(target, documentId);
  if (!socket) return { sent: 0, answer: 'upgrade refused' };
  socket.send(payloads.nestedBlocks);
  const content = statusOf(target, `/api/documents/${documentId}/content?format=html`, { headers: bearer(target) });
  const code = await Promise.race([closed(socket), Bun.sleep(3_000).then(() => null)]);
  socket.close();
  return { sent: 1, answer: `${code === null ? 'kept open' : `closed ${code}`}; content ${await content}` };
};

/** Finding 2: 300,000 empty paragraphs in frames under the limit, then the document rendered as HTML three times. */
export const wideDocument: Attack = async (target, payloads) => {
  const documentId = await createDocument(target.httpUrl, target.token, 'wide');
  const socket = await openSocket(target, documentId);
  if (!socket) return { sent: 0, answer: 'upgrade refused' };
  let frames = 0;
  for (const frame of payloads.wideFrames) {
    if (socket.readyState !== WebSocket.OPEN) break;
    socket.send(frame);
    frames++;
  }
  // The frame past MAX_DOCUMENT_NODES closes the socket; the ones before it are the document.
  const code = await Promise.race([closed(socket), Bun.sleep(5_000).then(() => null)]);
  const statuses: number[] = [];
  for (let render = 0; render < 3 && !target.signal.aborted; render++) {
    statuses.push(await statusOf(target, `/api/documents/${documentId}/content?format=html`, { headers: bearer(target) }));
  }
  socket.close();
  return { sent: frames, answer: `${code === null ? 'kept open' : `closed ${code}`}; content ${statusSummary(statuses)}` };
};

/** Finding 3: one socket on the honest document sends 100 frames × 33 states × 60 KB within a second. */
export const awarenessFlood: Attack = async (target) => {
  const socket = await openSocket(target, target.honestDocumentId);
  if (!socket) return { sent: 0, answer: 'upgrade refused' };
  const state = JSON.stringify({ user: { name: 'Mallory', color: '#000000' }, padding: 'é'.repeat(30_000) });
  let sent = 0;
  for (let frame = 0; frame < 100 && socket.readyState === WebSocket.OPEN && !target.signal.aborted; frame++) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.awareness);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 33);
    for (let entry = 0; entry < 33; entry++) {
      encoding.writeVarUint(inner, 900_000 + entry);
      encoding.writeVarUint(inner, frame + 1);
      encoding.writeVarString(inner, state);
    }
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
    socket.send(encoding.toUint8Array(encoder));
    sent++;
    await Bun.sleep(10);
  }
  const code = await Promise.race([closed(socket), Bun.sleep(1_000).then(() => null)]);
  socket.close();
  return { sent, answer: code === null ? 'kept open' : `closed ${code}` };
};

/** Finding 4: 300 sockets from one account on the honest document; can a newcomer still join? */
export const manySockets: Attack = async (target) => {
  const sockets = await Promise.all(Array.from({ length: 300 }, () => openSocket(target, target.honestDocumentId)));
  const opened = sockets.filter((socket): socket is WebSocket => socket !== null);
  for (const socket of opened) socket.close();
  return { sent: sockets.length, answer: `${opened.length} opened, ${sockets.length - opened.length} refused` };
};

/** Findings 5, 6, 8, 10: rotated X-Forwarded-For sign-ins, oversized chunked DELETEs, a rebinding Host, bad percent-encodings. */
export const restAbuse: Attack = async (target) => {
  const statuses: number[] = [];
  const request = async (path: string, init: RequestInit = {}) => {
    if (!target.signal.aborted) statuses.push(await statusOf(target, path, init));
  };
  for (let attempt = 0; attempt < 30; attempt++) {
    await request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${attempt}` },
      body: JSON.stringify({ email: 'victim@example.test', password: 'not the password' }),
    });
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    // 120 MiB offered lazily; a server that reads only up to its limit costs us only that much.
    let remaining = 120 * 1024 * 1024;
    const chunk = new Uint8Array(64 * 1024).fill(32);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (remaining <= 0) return controller.close();
        remaining -= chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    await request(`/api/documents/${target.honestDocumentId}`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body });
  }
  const port = new URL(target.httpUrl).port;
  for (let attempt = 0; attempt < 20; attempt++) {
    await request('/api/documents', { headers: { host: `rebind.attacker.test:${port}`, ...bearer(target) } });
    await request(attempt % 2 ? '/%' : '/%E0%A4%A');
  }
  return { sent: statuses.length, answer: statusSummary(statuses) };
};

/**
 * Finding 7: 100 activity streams at once on one token. A refused stream's body is cancelled as
 * soon as its status is in; accepted ones are held until every status is in (so the server's cap
 * meets them all at once), then cancelled. At most 100: this process's fetch pool (256 at once)
 * must keep room for the /healthz poller, or the poller measures the pool instead of the server.
 */
export const streamFlood: Attack = async (target) => {
  const accepted: Response[] = [];
  const statuses = await Promise.all(
    Array.from({ length: 100 }, async () => {
      try {
        const response = await fetch(`${target.httpUrl}/api/activity/stream`, { headers: bearer(target), signal: target.signal });
        if (response.status === 200) accepted.push(response);
        else await response.body?.cancel();
        return response.status;
      } catch {
        return 0;
      }
    }),
  );
  await Promise.all(accepted.map((response) => response.body?.cancel().catch(() => {})));
  return { sent: statuses.length, answer: statusSummary(statuses) };
};

/** Every attack, in the order the scenario runs them. */
export const ATTACKS: Record<string, Attack> = {
  'nested blocks': nestedBlocks,
  'wide document': wideDocument,
  'awareness flood': awarenessFlood,
  'one account, many sockets': manySockets,
  'REST abuse': restAbuse,
  'stream flood': streamFlood,
};
