/**
 * `bun bench/commit-stalls.ts [seconds]`: how long the event loop stalls while keystroke commits
 * stream into the SQLite store (one small update per turn, about a thousand a second, as a busy
 * server's update writer commits them). Reports a 1 ms timer's lateness and how long the commits
 * themselves took. A checkpoint run inside a commit shows as a stall of the timer; one on the
 * checkpoint thread does not. In-process, on a throwaway data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeWithDocument } from '../server/test-support/store-with-document.ts';

const seconds = Number(process.argv[2] ?? 8);
const dataDir = mkdtempSync(join(tmpdir(), 'quire-commit-stalls-'));
const { store, documentId } = await storeWithDocument(dataDir, 'Stalls');

const keystroke = new Uint8Array(40).fill(7);
const lateness: number[] = [];
const commitMs: number[] = [];
let due = performance.now() + 1;
const timer = setInterval(() => {
  const now = performance.now();
  lateness.push(now - due);
  due = now + 1;
}, 1);
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const startedAt = performance.now();
  await store.appendUpdates([{ documentId, data: keystroke, editor: null, at: Date.now() }]);
  commitMs.push(performance.now() - startedAt);
  await Bun.sleep(1);
}
clearInterval(timer);
await store.close();
rmSync(dataDir, { recursive: true, force: true });

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor(q * (sorted.length - 1))] ?? 0).toFixed(1);
};
console.log(
  `${commitMs.length} commits in ${seconds} s. Event loop (1 ms timer's lateness): p99 ${quantile(lateness, 0.99)} ms, ` +
    `p99.9 ${quantile(lateness, 0.999)} ms, worst ${quantile(lateness, 1)} ms, ${lateness.filter((ms) => ms > 5).length} stalls over 5 ms. ` +
    `Commits (a wait for a checkpoint of the whole log included): p99 ${quantile(commitMs, 0.99)} ms, worst ${quantile(commitMs, 1)} ms.`,
);
