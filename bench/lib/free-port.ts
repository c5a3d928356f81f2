/** Picks a free loopback TCP port by binding port 0 and releasing it. */
import { createServer } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1 (the server under test binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
