/**
 * Images in documents over HTTP: only real PNG, JPEG, GIF and WebP bytes are kept (whatever the
 * name says), within MAX_ATTACHMENT_BYTES and the route's own body limit; editors upload,
 * readers of the image's document (accounts or its secret link) read, nobody else learns it exists.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { DocumentAccess } from '../../../shared/dto.ts';
import type { Attachment } from '../../../shared/rich-content.ts';
import { startTestServer, type TestServer } from '../../test-support/harness.ts';
import { fileForm, pngImage } from '../../test-support/images.ts';

const MiB = 1024 * 1024;
const GIF = new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const WEBP = new Uint8Array([...new TextEncoder().encode('RIFF'), 26, 0, 0, 0, ...new TextEncoder().encode('WEBPVP8 ')]);
const HTML = new TextEncoder().encode('<html><script>alert(1)</script></html>');
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

describe('attachments', () => {
  let server: TestServer;
  const tokens: Record<'owner' | 'editor' | 'viewer' | 'stranger', string> = { owner: '', editor: '', viewer: '', stranger: '' };
  let documentId = '';
  let linkToken = '';

  beforeAll(async () => {
    server = await startTestServer();
    const ids: Record<string, string> = {};
    for (const name of ['owner', 'editor', 'viewer', 'stranger'] as const) {
      const account = await server.signIn(name);
      tokens[name] = account.token;
      ids[name] = account.user.id;
    }
    documentId = (await server.createDocument(tokens.owner, { title: 'Pictures' })).id;
    const grants = [
      { user: { id: ids.editor }, role: 'editor' },
      { user: { id: ids.viewer }, role: 'viewer' },
    ];
    const shared = await server.request(`/api/documents/${documentId}/access`, {
      method: 'PUT',
      token: tokens.owner,
      json: { general: { scope: 'link', role: 'viewer' }, grants },
    });
    linkToken = ((await shared.json()) as DocumentAccess).link!.split('/s/')[1]!;
  });
  afterAll(() => server.close());

  const upload = (bytes: Uint8Array, name: string, token = tokens.editor, id = documentId) =>
    server.request(`/api/documents/${id}/attachments`, { method: 'POST', token, body: fileForm(bytes, name) });

  test('a PNG named .gif is kept as the PNG it is, and served back as one', async () => {
    const png = pngImage();
    const response = await upload(png, 'holiday.gif');
    expect(response.status).toBe(201);
    const attachment = (await response.json()) as Attachment;
    expect(attachment).toEqual({ id: expect.any(String), url: `/api/attachments/${attachment.id}`, contentType: 'image/png', size: png.byteLength });
    const served = await server.request(attachment.url, { token: tokens.viewer });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toBe(`inline; filename="${attachment.id}.png"`);
    expect(served.headers.get('cache-control')).toContain('max-age=31536000');
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
  });

  test('JPEG, GIF and WebP are told from their bytes too', async () => {
    for (const [bytes, type] of [[JPEG, 'image/jpeg'], [GIF, 'image/gif'], [WEBP, 'image/webp']] as const) {
      const response = await upload(bytes, 'picture.png');
      expect(response.status).toBe(201);
      expect(((await response.json()) as Attachment).contentType).toBe(type);
    }
  });

  test('HTML named .png and SVG are refused with 415', async () => {
    for (const [bytes, name] of [[HTML, 'cat.png'], [SVG, 'logo.svg']] as const) {
      const response = await upload(bytes, name);
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  test('11 MiB is refused with 413 before it is read; 9 MiB (over MAX_BODY_BYTES) is accepted', async () => {
    const big = new Uint8Array(11 * MiB);
    big.set(pngImage());
    const refused = await upload(big, 'big.png');
    expect(refused.status).toBe(413);
    const fits = new Uint8Array(9 * MiB);
    fits.set(pngImage());
    const accepted = await upload(fits, 'fits.png');
    expect(accepted.status).toBe(201);
    expect(((await accepted.json()) as Attachment).size).toBe(9 * MiB);
  });

  test('a chunked body past the limit is cut off with 413', async () => {
    const big = new Uint8Array(11 * MiB);
    big.set(pngImage());
    const request = new Request(`${server.url}/api/documents/${documentId}/attachments`, { method: 'POST', body: fileForm(big, 'big.png') });
    const body = request.body!;
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.editor}`, 'content-type': request.headers.get('content-type')! },
      body,
      // @ts-expect-error Bun streams a ReadableStream body chunked
      duplex: 'half',
    });
    expect(response.status).toBe(413);
  });

  test('uploads need an editor: a viewer gets 403 naming the role, a stranger 404, a link visitor 401', async () => {
    const viewer = await upload(pngImage(), 'a.png', tokens.viewer);
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { requiredRole: string }).requiredRole).toBe('editor');
    expect((await upload(pngImage(), 'a.png', tokens.stranger)).status).toBe(404);
    const visitor = await server.request(`/api/documents/${documentId}/attachments`, {
      method: 'POST',
      headers: { 'quire-share': linkToken },
      body: fileForm(pngImage(), 'a.png'),
    });
    expect(visitor.status).toBe(401);
    expect((await upload(pngImage(), 'a.png', tokens.editor, crypto.randomUUID())).status).toBe(404);
  });

  test("reads follow the image's document: readers and its link, never strangers or the signed-out", async () => {
    const { url } = (await (await upload(pngImage(), 'a.png')).json()) as Attachment;
    expect((await server.request(url, { token: tokens.owner })).status).toBe(200);
    expect((await server.request(`${url}?share=${linkToken}`)).status).toBe(200);
    const stranger = await server.request(url, { token: tokens.stranger });
    expect(stranger.status).toBe(404);
    expect((await server.request(url)).status).toBe(401);
    expect((await server.request(`/api/attachments/${crypto.randomUUID()}`, { token: tokens.owner })).status).toBe(404);
    // Once the link is reset, the old one opens nothing.
    await server.request(`/api/documents/${documentId}/access/link`, { method: 'POST', token: tokens.owner });
    expect((await server.request(`${url}?share=${linkToken}`)).status).toBe(404);
    linkToken = '';
  });
});
