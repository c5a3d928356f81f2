/**
 * The only thing the sync core knows about a socket. One adapter file binds it to Elysia/Bun;
 * tests can bind it to anything.
 */
export interface SyncSocket {
  /** Sends one binary frame. Returns false when the frame could not be queued (dropped). */
  send(frame: Uint8Array): boolean;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
  /** Closes with a code and a short reason. */
  close(code: number, reason: string): void;
  /** Receives frames published to a topic. */
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  /** Sends a frame to every other socket subscribed to a topic. */
  publish(topic: string, frame: Uint8Array): void;
}
