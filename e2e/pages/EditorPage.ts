/** Page object of `/d/:id`: the collaborative editor. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ShareDialog } from './ShareDialog.ts';

/** Keys typed between two looks at the editor. */
const TYPING_RUN = 8;

function splitKeepingNewlines(text: string): string[] {
  return text.split(/(\n)/).filter((part) => part !== '');
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export class EditorPage {
  readonly body: Locator;
  readonly title: Locator;
  readonly connection: Locator;
  /** The badge's visible words ("Saved", "Saving… (2 unsent changes)", "Offline – …"). */
  readonly badge: Locator;
  readonly presence: Locator;
  readonly toolbar: Locator;
  readonly sidebar: Locator;
  readonly deletedNotice: Locator;
  readonly notFoundNotice: Locator;
  /** Why a viewer's editor takes no typing. */
  readonly readOnlyBanner: Locator;
  readonly lostAccessNotice: Locator;
  readonly invalidLinkNotice: Locator;
  readonly share: ShareDialog;

  constructor(readonly page: Page) {
    this.body = page.getByRole('textbox', { name: 'Document body' });
    this.title = page.getByRole('textbox', { name: 'Document title' });
    this.connection = page.getByRole('status', { name: 'Connection' });
    this.badge = this.connection.locator('.connection-label');
    this.presence = page.getByRole('list', { name: 'People here' });
    this.toolbar = page.getByRole('toolbar', { name: 'Formatting' });
    this.sidebar = page.getByRole('complementary', { name: 'Activity' });
    this.deletedNotice = page.getByRole('heading', { name: 'This document was deleted' });
    this.notFoundNotice = page.getByRole('heading', { name: 'Document not found' });
    this.readOnlyBanner = page.getByRole('status', { name: 'Read-only' });
    this.lostAccessNotice = page.getByRole('alert').getByRole('heading', { name: 'You no longer have access to this document' });
    this.invalidLinkNotice = page.getByRole('alert').getByRole('heading', { name: 'This link is invalid or was reset' });
    this.share = new ShareDialog(page);
  }

  /** Opens a document and waits until it is synced with the server. */
  async goto(documentId: string): Promise<void> {
    await this.page.goto(`/d/${encodeURIComponent(documentId)}`);
    await this.expectSynced();
  }

  /** The badge says "Saved": the server has confirmed it holds every local change. */
  async expectSynced(): Promise<void> {
    await expect(this.badge).toHaveText('Saved');
  }

  /** The badge says the server cannot be reached, with `unsent` changes kept on this device. */
  async expectOffline(unsent?: number): Promise<void> {
    if (unsent === undefined) await expect(this.badge).toContainText('Offline');
    else await expect(this.badge).toHaveText(`Offline – ${unsent === 1 ? '1 change' : `${unsent} changes`} kept on this device`);
  }

  /** Types at the end of the document, as a person would, and waits until the editor shows it. */
  async typeAtEnd(text: string): Promise<void> {
    await this.body.click();
    await this.page.keyboard.press('ControlOrMeta+End');
    await this.type(text);
  }

  /**
   * Types at the caret, a few keys at a time, each run awaited in the editor before the next:
   * on a busy machine keystrokes queue up in the renderer, and the test must not race ahead of
   * what the person would see on screen. No fixed delays: the pace is the editor's.
   */
  async type(text: string): Promise<void> {
    for (const line of splitKeepingNewlines(text)) {
      if (line === '\n') {
        await this.page.keyboard.press('Enter');
        continue;
      }
      for (let start = 0; start < line.length; start += TYPING_RUN) {
        const run = line.slice(start, start + TYPING_RUN);
        await this.page.keyboard.type(run);
        // The run is on screen (whitespace-normalized, as the editor renders it).
        const visible = line.slice(0, start + run.length).trim();
        if (visible) await expect.poll(async () => normalize(await this.text())).toContain(normalize(visible));
      }
    }
  }

  /**
   * The document's text as a reader sees it: other people's caret labels left out, and a
   * no-break space read as the space it shows (Chromium may type a space at the end of a line as
   * U+00A0, depending on when the editor reads it back; nobody can see the difference).
   */
  async text(): Promise<string> {
    return this.body.evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
      return (copy.textContent ?? '').replace(/\u00a0/g, ' ');
    });
  }

  /** Another user's caret label, shown in this editor. */
  caretOf(name: string): Locator {
    return this.body.getByText(name, { exact: true });
  }

  /** An avatar in the presence strip. */
  avatarOf(name: string): Locator {
    return this.presence.getByRole('listitem', { name, exact: true });
  }

  tool(name: string): Locator {
    return this.toolbar.getByRole('button', { name, exact: true });
  }

  /** A line of the activity sidebar, matched against its full text. */
  activityItem(text: RegExp): Locator {
    return this.sidebar.getByRole('listitem', { name: text });
  }

  async rename(title: string): Promise<void> {
    await this.title.fill(title);
    await this.title.press('Enter');
  }
}
