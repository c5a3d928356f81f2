/**
 * Keeps the search index in step with edits: every few seconds it asks the store which
 * documents changed since they were indexed and indexes each once, however many keystrokes
 * made the change. Text comes from the render workers, off the event loop and within their
 * limits. Every instance may run one; the store keeps the entry of the latest change.
 */
import type { Logger } from '../../logger.ts';
import { RenderRefusedError } from '../documents/render-pool.ts';
import { indexableText } from '../../storage/search-store.ts';
import type { Store } from '../../storage/store.ts';

/** Longest text indexed per document, characters (PostgreSQL's tsvector holds at most 1 MB). */
export const MAX_INDEXED_CHARS = 100_000;

/** Documents indexed per round. */
const BATCH = 20;

/** The plain text of a document's stored state. */
export type DocumentText = (documentId: string) => Promise<string>;

/** Runs rounds of indexing, one at a time, `intervalMs` apart. */
export class SearchIndexer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly textOf: DocumentText,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling and waits for a round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One round: indexes what changed (at most a batch); returns how many documents it indexed. */
  async round(): Promise<number> {
    this.running ??= this.indexStale().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.round()
        .catch((error) => this.logger.warn('search indexing failed; retrying next round', { error }))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private async indexStale(): Promise<number> {
    const stale = await this.store.search.stale(BATCH);
    for (const document of stale) {
      let body = '';
      try {
        body = indexableText((await this.textOf(document.id)).slice(0, MAX_INDEXED_CHARS));
      } catch (error) {
        // The render workers are busy: next round.
        if (error instanceof RenderRefusedError) continue;
        // Too complex to render: findable by its title, and not retried until it changes again.
        this.logger.warn('search indexing: document text unavailable, indexing its title only', { documentId: document.id, error });
      }
      await this.store.search.index({ documentId: document.id, title: indexableText(document.title), body, updatedAt: document.updatedAt });
    }
    return stale.length;
  }
}
