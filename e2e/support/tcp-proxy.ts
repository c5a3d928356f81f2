/**
 * A loopback TCP proxy in front of the test server that a test can cut and restore, to take one
 * browser's network away while everyone else keeps theirs. Unlike Chromium's offline emulation
 * (which queues WebSocket frames and delivers them later), a cut here loses what is in flight,
 * as a real network does.
 *
 * - `cut('refuse')`: every open connection is destroyed and new ones are closed at once (a
 *   machine with no network: requests fail fast).
 * - `cut('blackhole')`: open connections stay open but nothing passes either way any more, and
 *   new ones are accepted and never answered (a dead Wi-Fi or a sleeping router: only timeouts
 *   tell). What was cut off is destroyed at `restore()`.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type CutMode = 'refuse' | 'blackhole';

interface Pipe {
  client: Socket;
  upstream: Socket | null;
}

/** A proxy from a free loopback port to `target` (`http://127.0.0.1:PORT`). */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pipes = new Set<Pipe>();
  private mode: CutMode | null = null;
  private port = 0;

  constructor(private readonly target: string) {}

  /** The proxy's base URL, same scheme and host as the target. */
  get url(): string {
    if (this.port === 0) throw new Error('The proxy has not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** Whether the network is cut right now. */
  get isCut(): boolean {
    return this.mode !== null;
  }

  async start(): Promise<void> {
    const { hostname, port } = new URL(this.target);
    const server = createServer((client) => this.accept(client, hostname, Number(port)));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
  }

  private accept(client: Socket, host: string, port: number): void {
    client.setNoDelay(true);
    const pipe: Pipe = { client, upstream: null };
    this.pipes.add(pipe);
    client.on('close', () => {
      this.pipes.delete(pipe);
      pipe.upstream?.destroy();
    });
    client.on('error', () => client.destroy());
    if (this.mode === 'refuse') return void client.destroy();
    if (this.mode === 'blackhole') return; // accepted, never answered
    const upstream = connect({ host, port });
    pipe.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    // Data is forwarded only while the network is up: a black hole swallows it.
    client.on('data', (chunk) => {
      if (this.mode === null) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (this.mode === null) client.write(chunk);
    });
  }

  /** Takes the network away (see the module comment for the two modes). */
  cut(mode: CutMode = 'refuse'): void {
    this.mode = mode;
    if (mode === 'refuse') this.destroyAll();
  }

  /** Brings the network back: whatever a black hole held is gone, new connections pass. */
  restore(): void {
    if (this.mode === 'blackhole') this.destroyAll();
    this.mode = null;
  }

  private destroyAll(): void {
    for (const pipe of this.pipes) {
      pipe.client.destroy();
      pipe.upstream?.destroy();
    }
    this.pipes.clear();
  }

  async stop(): Promise<void> {
    this.destroyAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
