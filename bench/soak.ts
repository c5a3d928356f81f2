/**
 * Crash soak: stock y-websocket clients type into one document while the server is SIGKILLed
 * at random moments and restarted on the same data directory. After every crash, before any
 * client may resync (and so resupply what the server lost), a fresh client checks that every
 * paragraph a client had received from another one (the server broadcast it, so it claimed it
 * durable) is stored, and that no paragraph is stored twice. `bun bench/soak.ts` runs the long
 * soak (`--kills`, `--clients`, `--seed`); `server/sync/soak.test.ts` runs a short one.
 */
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { DOCUMENT_FRAGMENT } from '../shared/protocol.ts';
import { createAccount, freePort, requestJson, spawnServer, type ChildServer } from '../server/test-support/child-server.ts';
import { connectClient, synced, tempDir, typeParagraph, waitFor, type Client } from '../server/test-support/harness.ts';
import { registerChild } from './lib/process-registry.ts';

/** What to run. */
export interface SoakOptions {
  /** SIGKILLs (rounds). */
  kills: number;
  /** Stock clients typing at once. */
  clients: number;
  /** Each client types a paragraph this often, ms. */
  typingIntervalMs?: number;
  /** The kill falls at a random moment this long after the clients are back, ms. */
  killWindowMs?: [number, number];
  /** Seed of the random kill moments (a run is repeatable up to scheduling). */
  seed?: number;
  /** Extra server environment. */
  env?: Record<string, string>;
  /** Give up (and fail) after this long, ms. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** One crash and its recovery. */
export interface RoundStats {
  round: number;
  killedAfterMs: number;
  /** Paragraphs typed in the round (all clients). */
  typed: number;
  /** Distinct paragraphs clients had received from one another at the kill, all rounds so far. */
  acknowledged: number;
  /** Paragraphs the restarted server holds. */
  stored: number;
  lost: number;
  duplicated: number;
  /** Paragraphs that are not one whole typed paragraph. */
  corrupt: number;
  restartMs: number;
  /** Until every client had reconnected and synced again, ms. */
  reconnectMs: number;
}

/** The whole run. */
export interface SoakResult {
  rounds: RoundStats[];
  typed: number;
  acknowledged: number;
  /** Paragraphs stored once every client had resynced at the end (should equal `typed`). */
  finalStored: number;
  lost: number;
  duplicated: number;
  corrupt: number;
  durationMs: number;
  ok: boolean;
}

const PARAGRAPH = /^c\d+\.r\d+\.n\d+;$/;

/** mulberry32: a small seeded generator, so kill moments can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text of each paragraph of a document, in order. */
export function paragraphs(doc: Y.Doc): string[] {
  return doc.getXmlFragment(DOCUMENT_FRAGMENT).toArray().map((node) =>
    node instanceof Y.XmlElement ? node.toArray().map((child) => (child instanceof Y.XmlText ? child.toString() : '')).join('') : '',
  );
}

/** A client that types `c<i>.r<round>.n<k>;` paragraphs on a timer. */
class Typist {
  typed = 0;
  round = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly index: number,
    readonly client: Client,
  ) {}

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => typeParagraph(this.client.doc, `c${this.index}.r${this.round}.n${this.typed++};`), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Paragraphs this client holds that another client typed: only the server can have sent them. */
  receivedFromOthers(): string[] {
    const own = `c${this.index}.`;
    return paragraphs(this.client.doc).filter((text) => !text.startsWith(own));
  }
}

/** Compares what a fresh client reads with what must be there. */
function audit(stored: string[], mustHave: ReadonlySet<string>): { lost: number; duplicated: number; corrupt: number } {
  const counts = new Map<string, number>();
  for (const text of stored) counts.set(text, (counts.get(text) ?? 0) + 1);
  let lost = 0;
  for (const text of mustHave) if (!counts.has(text)) lost++;
  let duplicated = 0;
  for (const count of counts.values()) duplicated += count - 1;
  const corrupt = stored.filter((text) => !PARAGRAPH.test(text)).length;
  return { lost, duplicated, corrupt };
}

/** Runs the soak; resolves with per-round stats (throws only if the run itself breaks down). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { kills, clients: clientCount, typingIntervalMs = 4, killWindowMs = [150, 1200], seed = Date.now() % 2 ** 31 } = options;
  const log = options.log ?? console.log;
  const next = random(seed);
  const started = performance.now();
  const deadline = started + (options.timeoutMs ?? 10 * 60_000);
  const remaining = (cap: number) => Math.max(1, Math.min(cap, deadline - performance.now()));
  const dir = tempDir('quire-soak-');
  const port = freePort();
  const env = { COMPACT_AFTER_UPDATES: '200', ...options.env };
  const start = async (): Promise<ChildServer> => {
    const child = await spawnServer({ dataDir: dir.path, port, env, timeoutMs: remaining(20_000) });
    registerChild(child.process);
    return child;
  };
  let child = await start();
  const typists: Typist[] = [];
  const fresh = async (): Promise<string[]> => {
    const reader = connectClient(child.wsUrl, documentId, token);
    try {
      await synced(reader, remaining(15_000));
      return paragraphs(reader.doc);
    } finally {
      reader.destroy();
    }
  };
  const allSynced = (what: string) =>
    waitFor(() => typists.every((typist) => typist.client.provider.wsconnected && typist.client.provider.synced), remaining(20_000), what);

  log(`soak: ${kills} kills, ${clientCount} clients typing every ${typingIntervalMs} ms, kill window ${killWindowMs.join('-')} ms, seed ${seed}, port ${port}`);
  const { token } = await createAccount(child.url, 'Soak');
  const { id: documentId } = await requestJson<{ id: string }>(child.url, '/api/documents', { json: { title: 'Soak' }, token });
  const rounds: RoundStats[] = [];
  const acknowledged = new Set<string>();
  try {
    for (let i = 0; i < clientCount; i++) typists.push(new Typist(i, connectClient(child.wsUrl, documentId, token, { maxBackoffTime: 200 })));
    await allSynced('the clients to connect');
    for (let round = 1; round <= kills; round++) {
      const typedBefore = typists.reduce((sum, typist) => sum + typist.typed, 0);
      for (const typist of typists) {
        typist.round = round;
        typist.start(typingIntervalMs);
      }
      const killAfter = Math.round(killWindowMs[0] + next() * (killWindowMs[1] - killWindowMs[0]));
      await Bun.sleep(killAfter);
      await child.kill('SIGKILL');
      // What the clients had received is complete once each has seen its socket end; then they
      // are held offline, so none can hand the restarted server anything it lost.
      await waitFor(() => typists.every((typist) => !typist.client.provider.wsconnected), remaining(5000), 'the clients to see the crash');
      for (const typist of typists) {
        typist.stop();
        typist.client.provider.disconnect();
        for (const text of typist.receivedFromOthers()) acknowledged.add(text);
      }
      const typed = typists.reduce((sum, typist) => sum + typist.typed, 0) - typedBefore;

      const restarting = performance.now();
      child = await start();
      const restartMs = Math.round(performance.now() - restarting);
      const stored = await fresh();
      const verdict = audit(stored, acknowledged);

      const reconnecting = performance.now();
      for (const typist of typists) typist.client.provider.connect();
      await allSynced('the clients to reconnect');
      const stats: RoundStats = {
        round,
        killedAfterMs: killAfter,
        typed,
        acknowledged: acknowledged.size,
        stored: stored.length,
        ...verdict,
        restartMs,
        reconnectMs: Math.round(performance.now() - reconnecting),
      };
      rounds.push(stats);
      log(
        `round ${round}/${kills}: killed after ${killAfter} ms; typed ${typed}; acknowledged ${stats.acknowledged}; ` +
          `stored ${stats.stored}; lost ${stats.lost}; duplicated ${stats.duplicated}; corrupt ${stats.corrupt}; ` +
          `restart ${restartMs} ms; reconnect ${stats.reconnectMs} ms`,
      );
    }

    // Finally everything typed, offline or not, must have reached the server exactly once.
    const typed = new Set(typists.flatMap((typist) => paragraphs(typist.client.doc).filter((text) => text.startsWith(`c${typist.index}.`))));
    await waitFor(async () => (await fresh()).length >= typed.size, remaining(20_000), 'every typed paragraph to be stored').catch(() => undefined);
    const finalStored = await fresh();
    const final = audit(finalStored, typed);
    const lost = rounds.reduce((sum, round) => sum + round.lost, 0) + final.lost;
    const duplicated = rounds.reduce((sum, round) => sum + round.duplicated, 0) + final.duplicated;
    const corrupt = rounds.reduce((sum, round) => sum + round.corrupt, 0) + final.corrupt;
    const result: SoakResult = {
      rounds,
      typed: typists.reduce((sum, typist) => sum + typist.typed, 0),
      acknowledged: acknowledged.size,
      finalStored: finalStored.length,
      lost,
      duplicated,
      corrupt,
      durationMs: Math.round(performance.now() - started),
      ok: lost === 0 && duplicated === 0 && corrupt === 0 && finalStored.length === typed.size,
    };
    log(
      `soak ${result.ok ? 'passed' : 'FAILED'}: ${rounds.length} kills in ${(result.durationMs / 1000).toFixed(1)} s; typed ${result.typed}; ` +
        `acknowledged before a crash ${result.acknowledged}; stored at the end ${result.finalStored}; lost ${lost}; duplicated ${duplicated}; corrupt ${corrupt}`,
    );
    return result;
  } finally {
    for (const typist of typists) {
      typist.stop();
      typist.client.destroy();
    }
    await child.kill('SIGKILL');
    dir.cleanup();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { kills: { type: 'string', default: '25' }, clients: { type: 'string', default: '3' }, seed: { type: 'string' } },
  });
  const result = await runSoak({
    kills: Number(values.kills),
    clients: Number(values.clients),
    seed: values.seed === undefined ? undefined : Number(values.seed),
  }).catch((error: unknown) => {
    console.error('soak broke down:', error);
    process.exit(1);
  });
  process.exit(result.ok ? 0 : 1);
}
