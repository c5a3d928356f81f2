/**
 * Run by Bun, not by Playwright (the cluster's helpers use Bun's APIs): starts the proxied
 * cluster of the server tests (nginx with TLS and HTTP/2 in front of two instances over
 * PostgreSQL and Redis), serving the built client, with `QUIRE_CLUSTER_ENV` (JSON) as the
 * instances' settings. Prints one JSON line, `{url, instances}`, once nginx sends requests to
 * both; SIGTERM stops everything and removes its data.
 */
import { startProxiedCluster } from '../../server/test-support/proxied-cluster.ts';

const env = JSON.parse(process.env.QUIRE_CLUSTER_ENV ?? '{}') as Record<string, string>;
const cluster = await startProxiedCluster(env);
process.stdout.write(`${JSON.stringify({ url: cluster.nginx.url, instances: cluster.instances.map((instance) => instance.child.url) })}\n`);

process.once('SIGTERM', () => {
  cluster.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('stopping the proxied cluster failed', error);
      process.exit(1);
    },
  );
});
