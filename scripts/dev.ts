export {};

/**
 * `npm run dev`: the API server on :3001 (restarting on change) and Vite on :3000 with hot
 * reload, proxying /api and /sync to it. Ctrl-C stops both.
 */
const children = [
  Bun.spawn([process.execPath, '--watch', 'server/main.ts'], {
    env: { ...process.env, PORT: process.env.API_PORT ?? '3001', CLIENT_DIR: '' },
    stdout: 'inherit',
    stderr: 'inherit',
  }),
  Bun.spawn([process.execPath, 'x', 'vite', '--config', 'client/vite.config.ts', '--port', process.env.PORT ?? '3000'], {
    stdout: 'inherit',
    stderr: 'inherit',
  }),
];

const stop = () => {
  for (const child of children) child.kill();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await Promise.race(children.map((child) => child.exited));
stop();
