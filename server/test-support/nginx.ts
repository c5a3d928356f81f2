/**
 * Debian's nginx as a child process in front of Quire instances, configured from
 * `deploy/nginx.conf.template` (the README's configuration) on loopback, with a self-signed
 * certificate made by `openssl` for `localhost` and `127.0.0.1`. Never a system service.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_BODY_SIZES, renderNginx } from '../ops/nginx-config.ts';
import { freePort } from './child-server.ts';
import { programMissing } from './services.ts';

export interface Nginx {
  /** `https://localhost:PORT` */
  url: string;
  port: number;
  /** The certificate, to trust it (it is its own authority). */
  ca: string;
  process: Bun.Subprocess;
  /** The error log so far (a failing test prints it). */
  errors(): string;
  stop(): Promise<void>;
}

function run(command: string[]): void {
  let result;
  try {
    result = Bun.spawnSync(command, { stdout: 'pipe', stderr: 'pipe' });
  } catch (error) {
    throw programMissing(command[0]!, error);
  }
  if (result.exitCode !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr.toString()}`);
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket.destroy() === socket));
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx in `dir` proxying to `upstreams` (`host:port` each); resolves once it accepts. */
export async function startNginx(dir: string, upstreams: string[]): Promise<Nginx> {
  const port = freePort();
  // Started as root, nginx's workers run as nobody: they must reach the temp paths for bodies.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const certificate = join(dir, 'cert.pem');
  const certificateKey = join(dir, 'key.pem');
  run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE', '-keyout', certificateKey, '-out', certificate]);
  writeFileSync(join(dir, 'quire.conf'), renderNginx({ upstreams, listen: `127.0.0.1:${port}`, serverName: 'localhost', certificate, certificateKey, ...DEFAULT_BODY_SIZES }));
  // Everything nginx writes stays in `dir`: pid, logs, request bodies and buffers.
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${join(dir, `${kind}-temp`)};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\nworker_processes 1;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'logs', 'error.log')} warn;\n` +
      `events { worker_connections 512; }\nhttp {\n    access_log off;\n${temp}\n    include ${join(dir, 'quire.conf')};\n}\n`,
  );
  let child: Bun.Subprocess;
  try {
    // Debian puts it in /usr/sbin, which a non-root PATH may lack.
    const program = Bun.which('nginx') ?? '/usr/sbin/nginx';
    child = Bun.spawn([program, '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log')], { stdout: 'ignore', stderr: 'pipe' });
  } catch (error) {
    throw programMissing('nginx', error);
  }
  const errors = () => {
    try {
      return readFileSync(join(dir, 'logs', 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = performance.now() + 10_000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${errors()}`);
    }
    await Bun.sleep(20);
  }
  return {
    url: `https://localhost:${port}`,
    port,
    ca: readFileSync(certificate, 'utf8'),
    process: child,
    errors,
    async stop() {
      child.kill('SIGQUIT'); // graceful: open connections finish
      const exited = await Promise.race([child.exited, Bun.sleep(5000).then(() => null)]);
      if (exited === null) child.kill('SIGKILL');
      await child.exited;
    },
  };
}
