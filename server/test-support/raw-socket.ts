/**
 * A raw WebSocket to the sync endpoint, for tests that send hand-made (or hostile) frames and
 * watch how the server answers and how it ends the connection.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { SYNC_PATH } from '../../shared/protocol.ts';
import { waitFor } from './harness.ts';

/** How a socket ended: the upgrade refused (`opened` false) or a close code. */
export interface Ending {
  opened: boolean;
  code: number;
  reason: string;
}

/** A raw sync socket and everything it received. */
export interface RawSync {
  socket: WebSocket;
  received: Uint8Array[];
  /** Resolves true once open, false if it closed first (upgrade refused). */
  opened: Promise<boolean>;
  closed: Promise<Ending>;
  /** The close, once it happened. */
  ending: Ending | null;
  send(frame: Uint8Array | string): void;
  /** Resolves with the next frame received after this call; rejects after `timeoutMs`. */
  nextFrame(timeoutMs?: number): Promise<Uint8Array>;
}

/** Opens `/sync/:documentId` with the token in the query (or none) and optional headers. */
export function openRawSync(wsUrl: string, documentId: string, token: string | null, headers: Record<string, string> = {}): RawSync {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const socket = new WebSocket(`${wsUrl}${SYNC_PATH}/${documentId}${query}`, { headers } as unknown as string[]);
  socket.binaryType = 'arraybuffer';
  const received: Uint8Array[] = [];
  let isOpen = false;
  const raw: RawSync = {
    socket,
    received,
    ending: null,
    opened: new Promise((resolve) => {
      socket.addEventListener('open', () => resolve((isOpen = true)));
      socket.addEventListener('close', () => resolve(false));
    }),
    closed: new Promise((resolve) =>
      socket.addEventListener('close', (event) => resolve((raw.ending = { opened: isOpen, code: event.code, reason: event.reason }))),
    ),
    send(frame) {
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
    },
    async nextFrame(timeoutMs = 5000) {
      const count = received.length;
      await waitFor(() => received.length > count || raw.ending !== null, timeoutMs, 'a frame');
      const frame = received[count];
      if (!frame) throw new Error(`closed with ${raw.ending?.code} before a frame arrived`);
      return frame;
    },
  };
  socket.addEventListener('message', (event) => {
    if (event.data instanceof ArrayBuffer) received.push(new Uint8Array(event.data));
  });
  return raw;
}

/** The status of a WebSocket upgrade request made with fetch (refusals are plain HTTP). */
export async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', ...headers },
  });
}

/** A stock `WebsocketProvider` whose outgoing frames are recorded (real frames to mutate). */
export function recordingClient(wsUrl: string, documentId: string, token: string): { doc: Y.Doc; provider: WebsocketProvider; sent: Uint8Array[]; destroy(): void } {
  const sent: Uint8Array[] = [];
  class RecordingWebSocket extends WebSocket {
    override send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void {
      if (data instanceof Uint8Array) sent.push(data.slice());
      super.send(data);
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}${SYNC_PATH}`, documentId, doc, {
    params: { token },
    disableBc: true,
    WebSocketPolyfill: RecordingWebSocket as unknown as typeof WebSocket,
  });
  return {
    doc,
    provider,
    sent,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Opens a raw sync connection and waits for the server's greeting (its room is open); `cleanups` gets its close. */
export async function openGreetedSync(wsUrl: string, documentId: string, token: string, cleanups: (() => unknown)[]): Promise<RawSync> {
  const raw = openRawSync(wsUrl, documentId, token);
  cleanups.push(() => raw.socket.close());
  await raw.nextFrame();
  return raw;
}
