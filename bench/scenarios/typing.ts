/**
 * Scenario 11, typing in a long document (Quire only): Chromium types a few hundred characters
 * into the middle of a 2,000-paragraph document at a brisk typist's pace, and the page itself
 * times each key press (the keydown event's timestamp) to the moment the character is in the
 * editor's DOM, after every synchronous reaction to it (goal: p95 ≤ 50 ms), and to the next
 * animation frame.
 */
import type { Page } from '@playwright/test';
import { quantileOfSorted, round } from '../lib/stats.ts';
import { CHROMIUM_FLAGS, CLIENT_SCENARIO_SETTINGS, editableAt, importDocument, paragraphs, recordEditableAt, VIEWPORT, withBrowserBench } from './browser-session.ts';
import type { Scenario } from './types.ts';

export const TYPING_P95_GOAL_MS = 50;
/** About 12 characters a second. */
const KEY_INTERVAL_MS = 80;
/** The first keystrokes warm up the page's JIT and are not counted. */
const WARM_UP_KEYS = 10;
const TEXT = 'steady words land on the page as they are typed ';

interface KeySample {
  key: string;
  domMs: number | null;
  frameMs: number | null;
}

/**
 * Installs the recorder: a keydown opens a sample, the first mutation inside the editor after it
 * closes it. The observer is created after ProseMirror's, so its callback runs after the editor's
 * own handling of the change (transaction, listeners) in the same microtask checkpoint.
 */
function installRecorder(page: Page): Promise<void> {
  return page.evaluate(() => {
    const samples: { key: string; start: number; dom: number | null; frame: number | null }[] = [];
    let open: (typeof samples)[number] | null = null;
    const editor = document.querySelector('.ProseMirror');
    if (!editor) throw new Error('no editor');
    document.addEventListener(
      'keydown',
      (event) => {
        if (event.key.length !== 1) return;
        open = { key: event.key, start: event.timeStamp, dom: null, frame: null };
        samples.push(open);
      },
      true,
    );
    new MutationObserver(() => {
      const sample = open;
      if (!sample) return;
      open = null;
      sample.dom = performance.now();
      requestAnimationFrame(() => (sample.frame = performance.now()));
    }).observe(editor, { subtree: true, childList: true, characterData: true });
    (window as unknown as { __quireKeys: () => unknown }).__quireKeys = () =>
      samples.map((sample) => ({ key: sample.key, domMs: sample.dom === null ? null : sample.dom - sample.start, frameMs: sample.frame === null ? null : sample.frame - sample.start }));
  });
}

const quantiles = (values: number[]) => {
  const sorted = Float64Array.from(values).sort();
  return { median: round(quantileOfSorted(sorted, 0.5), 1), p95: round(quantileOfSorted(sorted, 0.95), 1), max: round(quantileOfSorted(sorted, 1), 1) };
};

export const typingScenario: Scenario = async (context) => {
  const { keystrokes, typingParagraphs } = context.plan.client;
  const rows = await withBrowserBench(context, async (bench) => {
    const documentId = await importDocument(bench.server, 'Long document', paragraphs(typingParagraphs));
    const browserContext = await bench.coldContext();
    try {
      const page = await browserContext.newPage();
      await recordEditableAt(page, typingParagraphs);
      await page.goto(`/d/${documentId}`);
      await editableAt(page, 60_000);
      const target = page.locator('.ProseMirror > p').nth(Math.floor(typingParagraphs / 2));
      await target.click();
      await page.keyboard.press('End');
      await installRecorder(page);
      const typed = Array.from({ length: keystrokes + WARM_UP_KEYS }, (_, index) => TEXT[index % TEXT.length] as string);
      let next = performance.now();
      for (const key of typed) {
        await page.keyboard.press(key === ' ' ? 'Space' : key);
        next += KEY_INTERVAL_MS;
        await Bun.sleep(Math.max(0, next - performance.now()));
      }
      await page.waitForTimeout(500);
      const samples = ((await page.evaluate(() => (window as unknown as { __quireKeys: () => unknown }).__quireKeys())) as KeySample[]).slice(WARM_UP_KEYS);
      const text = (await target.textContent()) ?? '';
      const landed = text.endsWith(typed.join('').trimEnd()) || text.includes(typed.join('').trim());
      const dom = quantiles(samples.flatMap((sample) => (sample.domMs === null ? [] : [sample.domMs])));
      const frame = quantiles(samples.flatMap((sample) => (sample.frameMs === null ? [] : [sample.frameMs])));
      const missing = samples.filter((sample) => sample.domMs === null).length;
      context.log(`    key to DOM median ${dom.median} ms, p95 ${dom.p95} ms; to next frame p95 ${frame.p95} ms; ${missing} missing`);
      return [
        {
          server: 'quire' as const,
          case: `${typingParagraphs} paragraphs, ${samples.length} keys`,
          metrics: {
            keyToDomMedianMs: dom.median,
            keyToDomP95Ms: dom.p95,
            keyToDomMaxMs: dom.max,
            keyToFrameMedianMs: frame.median,
            keyToFrameP95Ms: frame.p95,
            keysMissing: missing,
            goalP95Ms: TYPING_P95_GOAL_MS,
            goalMet: (dom.p95 ?? Infinity) <= TYPING_P95_GOAL_MS,
          },
          ...(landed ? {} : { error: 'the typed text is not in the paragraph' }),
        },
      ];
    } finally {
      await browserContext.close();
    }
  });
  return {
    id: 'typing',
    title: '14. Typing in a long document (Quire, Chromium)',
    rows,
    compareMetrics: [],
    notes: [
      `One key every ${KEY_INTERVAL_MS} ms at the end of the middle paragraph; the first ${WARM_UP_KEYS} keys are not counted. Key to DOM: keydown timestamp to the first mutation inside the editor after it, observed after ProseMirror's own observer (so the editor's synchronous work on the change is included); key to frame: to the next requestAnimationFrame after that.`,
      `Settings changed: ${Object.entries(CLIENT_SCENARIO_SETTINGS).map(([name, value]) => `${name}=${value}`).join(', ')}; Chromium ${CHROMIUM_FLAGS.join(' ')}, viewport ${VIEWPORT.width}×${VIEWPORT.height}, unthrottled loopback.`,
    ],
  };
};
