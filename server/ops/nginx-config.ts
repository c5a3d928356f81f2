/**
 * Renders `deploy/nginx.conf.template`, the one nginx configuration Quire documents and tests:
 * the README shows it rendered with `README_EXAMPLE` (a test holds the two equal), and the proxy
 * test runs nginx with it rendered for loopback.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const NGINX_TEMPLATE = join(import.meta.dir, '..', '..', 'deploy', 'nginx.conf.template');

/** The values the template takes. */
export interface NginxValues {
  /** `host:port` of each Quire instance. */
  upstreams: string[];
  /** nginx `listen` address, e.g. `443` or `127.0.0.1:8443`. */
  listen: string;
  serverName: string;
  certificate: string;
  certificateKey: string;
  /** nginx size, e.g. `1m` (Quire's MAX_BODY_BYTES default, 1 MiB). */
  maxBodySize: string;
  /** Body limit of image uploads: a little above MAX_ATTACHMENT_BYTES and its multipart envelope. */
  maxAttachmentBodySize: string;
  /** Body limit of imports: a little above MAX_IMPORT_BYTES and its multipart envelope. */
  maxImportBodySize: string;
}

/** The body limits for Quire's default MAX_BODY_BYTES (1 MiB), MAX_ATTACHMENT_BYTES (10 MiB) and MAX_IMPORT_BYTES (20 MiB). */
export const DEFAULT_BODY_SIZES = { maxBodySize: '1m', maxAttachmentBodySize: '11m', maxImportBodySize: '21m' } as const;

/** The values of the configuration the README shows. */
export const README_EXAMPLE: NginxValues = {
  upstreams: ['10.0.0.11:3000', '10.0.0.12:3000', '10.0.0.13:3000'],
  listen: '443',
  serverName: 'docs.example.com',
  certificate: '/etc/ssl/docs.example.com/fullchain.pem',
  certificateKey: '/etc/ssl/docs.example.com/privkey.pem',
  ...DEFAULT_BODY_SIZES,
};

/** The configuration for `values`, without the template's own opening comment. */
export function renderNginx(values: NginxValues, template = readFileSync(NGINX_TEMPLATE, 'utf8')): string {
  const lines = template.split('\n');
  const body = lines.slice(lines.findIndex((line) => !line.startsWith('#')));
  const fill: Record<string, string> = {
    listen: values.listen,
    server_name: values.serverName,
    certificate: values.certificate,
    certificate_key: values.certificateKey,
    max_body_size: values.maxBodySize,
    max_attachment_body_size: values.maxAttachmentBodySize,
    max_import_body_size: values.maxImportBodySize,
  };
  const rendered = body.flatMap((line) =>
    line.includes('{{upstream}}') ? values.upstreams.map((upstream) => line.replace('{{upstream}}', upstream)) : [line],
  );
  return rendered
    .join('\n')
    .replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
      const value = fill[name];
      if (value === undefined) throw new Error(`${NGINX_TEMPLATE}: unknown placeholder ${placeholder}`);
      return value;
    });
}
