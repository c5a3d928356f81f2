/**
 * Records every text the editor's connection badge shows in a page, with the time it appeared,
 * so a test can say what a person would have seen over a whole scenario ("never Offline").
 */
import type { Page } from '@playwright/test';

/** One text the badge showed, from `at` (ms since the epoch, the machine's clock). */
export interface BadgeEntry {
  at: number;
  text: string;
}

declare global {
  interface Window {
    __quireBadgeLog?: BadgeEntry[];
  }
}

/** Starts recording in `page` (the editor must be open); returns a reader of what was seen. */
export async function recordBadge(page: Page): Promise<() => Promise<BadgeEntry[]>> {
  await page.evaluate(() => {
    const log: BadgeEntry[] = [];
    window.__quireBadgeLog = log;
    let last: string | null = null;
    const read = () => {
      const text = document.querySelector('[role="status"][aria-label="Connection"] .connection-label')?.textContent ?? '';
      if (text !== last) {
        last = text;
        log.push({ at: Date.now(), text });
      }
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => window.__quireBadgeLog ?? []);
}
