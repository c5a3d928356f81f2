/**
 * The floor: a Bun WebSocket server that relays every binary frame to the other sockets on the
 * same URL path and does no Yjs work at all. No real server can fan out faster on this machine,
 * so Quire's ratio to it says how much of the time is Quire's own.
 *
 * Run as its own process: `PORT=1234 bun bench/servers/relay-server.ts`.
 */
const port = Number(process.env.PORT ?? 0);

const server = Bun.serve<{ room: string }>({
  hostname: '127.0.0.1',
  port,
  fetch(request, server) {
    const room = new URL(request.url).pathname;
    if (server.upgrade(request, { data: { room } })) return undefined;
    return new Response('relay floor', { status: 200 });
  },
  websocket: {
    // Bun's topic publish is the cheapest fan-out it has and skips the sender itself.
    open(ws) {
      ws.subscribe(ws.data.room);
    },
    message(ws, message) {
      if (typeof message !== 'string') ws.publish(ws.data.room, message);
    },
    close(ws) {
      ws.unsubscribe(ws.data.room);
    },
    maxPayloadLength: 64 * 1024 * 1024,
    backpressureLimit: 64 * 1024 * 1024,
    idleTimeout: 0,
  },
});

console.log(JSON.stringify({ msg: 'listening', url: `ws://127.0.0.1:${server.port}` }));
