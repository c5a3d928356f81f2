/**
 * Working without a network: edits kept in the browser through a quit and a restart, opened with
 * no network at all, synced when it returns; and a document deleted meanwhile gives its text back.
 * Bob's network is a TCP proxy the test cuts (Chromium's offline emulation would only queue
 * WebSocket frames and deliver them later, so it could not tell whether anything was kept).
 */
import { expect, test } from '../fixtures.ts';
import { SignInScreen } from '../pages/AuthPages.ts';
import { openProxiedUser, PersistentBrowser } from '../support/proxied-user.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

test.describe('without a network', () => {
  let proxy: TcpProxy;
  test.beforeEach(async ({ server }) => {
    proxy = new TcpProxy(server.url);
    await proxy.start();
  });
  test.afterEach(async () => {
    await proxy.stop();
  });

  test('edits made offline survive quitting the browser, open with no network, and sync when it returns @slow', async ({ ada }) => {
    test.slow();
    const id = await ada.createDocumentViaApi('Field notes');
    await ada.editor.goto(id);
    await ada.editor.typeAtEnd('Ada started the notes. ');

    const bobsBrowser = new PersistentBrowser(proxy);
    try {
      let bob = await bobsBrowser.launch('Bob');
      await bobsBrowser.signIn(bob);
      await bob.editor.goto(id);
      await expect(bob.editor.body).toContainText('Ada started the notes.');
      // The app shell is cached once the service worker is active (registered after load).
      await bob.page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });

      proxy.cut('refuse');
      await bob.editor.expectOffline();
      await bob.editor.typeAtEnd('Bob wrote this on the train.');
      await expect(bob.editor.badge).toHaveText(/^Offline – \d+ changes kept on this device$/);
      await bob.context.close();
      expect(bob.consoleErrors).toEqual([]);

      // Still no network: the page, the session, the title and the text all come from the browser.
      bob = await bobsBrowser.launch('Bob');
      await bob.page.goto(`/d/${id}`);
      await expect(bob.editor.title).toHaveValue('Field notes');
      await expect(bob.editor.body).toContainText('Bob wrote this on the train.');
      await expect(bob.editor.badge).toHaveText(/^Offline – \d+ changes kept on this device$/);
      await expect(ada.editor.body).not.toContainText('Bob wrote this');

      proxy.restore();
      await bob.editor.expectSynced();
      await expect(ada.editor.body).toContainText('Bob wrote this on the train.');
      const content = await ada.context.request.get(`/api/documents/${id}/content?format=text`);
      expect(await content.text()).toContain('Bob wrote this on the train.');
      expect(await content.text()).toContain('Ada started the notes.');
      await bob.context.close();
      expect(bob.consoleErrors).toEqual([]);
    } finally {
      bobsBrowser.dispose();
    }
  });

  test('a document deleted while Bob was offline says so and gives his unsent text back', async ({ ada, browser }) => {
    const id = await ada.createDocumentViaApi('Short-lived');
    const bob = await openProxiedUser(browser, proxy, 'Bob');
    try {
      await bob.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: proxy.url });
      await bob.editor.goto(id);
      await bob.editor.typeAtEnd('Saved before. ');
      await bob.editor.expectSynced();

      proxy.cut('refuse');
      await bob.editor.expectOffline();
      await bob.editor.typeAtEnd('Only on my laptop.');
      await expect(bob.editor.badge).toHaveText(/^Offline – \d+ changes kept on this device$/);

      await ada.list.goto();
      await ada.list.delete('Short-lived');

      proxy.restore();
      await expect(bob.editor.deletedNotice).toBeVisible();
      await expect(bob.page.getByText(/changes? you made in this browser never reached the server/)).toBeVisible();
      await bob.page.getByRole('button', { name: 'Copy my unsent text' }).click();
      await expect(bob.page.getByRole('textbox', { name: 'Your unsent text' })).toHaveValue(/Saved before\. Only on my laptop\./);
      await expect(bob.page.getByText('Copied to the clipboard.')).toBeVisible();
      expect(await bob.page.evaluate(() => navigator.clipboard.readText())).toContain('Only on my laptop.');

      // Leaving asks first; coming back, the copy kept in this browser still offers the text.
      const leaving = new Promise<string>((resolve) => bob.page.once('dialog', (dialog) => void dialog.accept().then(() => resolve(dialog.type()))));
      await bob.page.reload();
      expect(await leaving).toBe('beforeunload');
      await expect(bob.editor.notFoundNotice).toBeVisible();
      await bob.page.getByRole('button', { name: 'Copy my unsent text' }).click();
      await expect(bob.page.getByRole('textbox', { name: 'Your unsent text' })).toHaveValue(/Only on my laptop\./);
      await bob.page.getByRole('button', { name: 'Discard it' }).click();
      await expect(bob.page.getByRole('button', { name: 'Copy my unsent text' })).toHaveCount(0);
      expect(bob.consoleErrors).toEqual([]);
    } finally {
      await bob.context.close();
    }
  });

  test('signing out deletes the copies of documents kept in this browser', async ({ ada, browser }) => {
    const id = await ada.createDocumentViaApi('Private notes');
    const bob = await openProxiedUser(browser, proxy, 'Bob');
    try {
      await bob.editor.goto(id);
      await bob.editor.typeAtEnd('Nobody else should find this here.');
      await bob.editor.expectSynced();
      const kept = () =>
        bob.page.evaluate(async () => ({
          databases: (await indexedDB.databases()).map(({ name }) => name ?? '').filter((name) => name.startsWith('quire-doc:')),
          // The email that prefills the sign-in form is not the user's data.
          keys: Object.keys(localStorage).filter((key) => key.startsWith('quire:') && key !== 'quire:email'),
        }));
      expect((await kept()).databases).toHaveLength(1);

      await bob.page.getByRole('button', { name: 'Sign out' }).click();
      await expect(new SignInScreen(bob.page).heading).toBeVisible();
      expect(await kept()).toEqual({ databases: [], keys: [] });
      expect(bob.consoleErrors).toEqual([]);
    } finally {
      await bob.context.close();
    }
  });
});
