/**
 * The API reference page at `/openapi`, with Swagger UI's script and stylesheet served from the
 * pinned `swagger-ui-dist` package instead of a CDN, so the reference works offline and never
 * changes under us.
 */
import { openapi } from '@elysiajs/openapi';
import { Elysia } from 'elysia';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ASSETS_PATH = '/openapi/assets';
const ASSETS = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
} as const;
type AssetName = keyof typeof ASSETS;

const swaggerDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** OpenAPI document at `/openapi/json` and the reference page at `/openapi`, both offline. */
export function apiReference() {
  return new Elysia({ name: 'api-reference' })
    .use(
      openapi({
        path: '/openapi',
        provider: 'swagger-ui',
        swagger: {
          cdn: `${ASSETS_PATH}/swagger-ui-bundle.js`,
          theme: `${ASSETS_PATH}/swagger-ui.css`,
        },
        documentation: {
          info: { title: 'Quire API', version: '1.0.0', description: 'Documents, sessions and activity of a Quire server.' },
          components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        },
        exclude: { paths: ['/*', '/sync/:documentId', `${ASSETS_PATH}/:name`] },
      }),
    )
    .get(
      `${ASSETS_PATH}/:name`,
      ({ params, status }) => {
        if (!Object.hasOwn(ASSETS, params.name)) return status(404, 'Not Found');
        const name = params.name as AssetName;
        return new Response(Bun.file(join(swaggerDist, name)), {
          headers: { 'content-type': ASSETS[name], 'cache-control': 'public, max-age=86400' },
        });
      },
      { detail: { hide: true } },
    );
}
