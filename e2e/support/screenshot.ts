/** Puts several pages' screenshots side by side in one image, for the README. */
import type { Browser, Page } from '@playwright/test';

const TILE_WIDTH = 800;
const GAP = 16;

/** Screenshots each page and writes them next to each other, captioned, to `path`. */
export async function sideBySide(browser: Browser, tiles: { caption: string; page: Page }[], path: string): Promise<void> {
  const shots = await Promise.all(tiles.map(async ({ caption, page }) => ({ caption, png: await page.screenshot() })));
  const first = tiles[0]?.page.viewportSize() ?? { width: 1280, height: 800 };
  const tileHeight = Math.round((first.height * TILE_WIDTH) / first.width);
  const context = await browser.newContext({
    viewport: { width: shots.length * (TILE_WIDTH + GAP) + GAP, height: tileHeight + 2 * GAP + 28 },
  });
  try {
    const canvas = await context.newPage();
    const figures = shots
      .map(
        ({ caption, png }) =>
          `<figure><figcaption>${caption}</figcaption><img alt="" src="data:image/png;base64,${png.toString('base64')}"></figure>`,
      )
      .join('');
    await canvas.setContent(
      `<style>
        body { margin: 0; padding: ${GAP}px; display: flex; gap: ${GAP}px; background: #e5e7eb; font: 600 14px system-ui, sans-serif; color: #374151; }
        figure { margin: 0; width: ${TILE_WIDTH}px; }
        figcaption { height: 24px; }
        img { width: ${TILE_WIDTH}px; border-radius: 8px; box-shadow: 0 4px 16px rgb(0 0 0 / 15%); display: block; }
      </style>${figures}`,
    );
    await canvas.screenshot({ path });
  } finally {
    await context.close();
  }
}
