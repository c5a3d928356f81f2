/**
 * Renders documents for the content route on worker threads, so that rendering a large document
 * (seconds of Tiptap's serializers) never holds up the server's event loop. Bounded three ways:
 * each render in time (past `maxRenderMs` its worker is terminated and replaced), renders waiting
 * for a worker in number (`maxQueue`), and renders per account (`maxPerOwner`), so no one can
 * pile them up. A render's input is read only when a worker is free for it, so waiting costs no memory.
 */
import type { ContentFormat } from '../../../shared/dto.ts';
import type { RenderRequest, RenderWorkerMessage } from './render-protocol.ts';
import { DocumentTooComplexError, type StructureLimits } from './structure.ts';

const WORKER_URL = new URL('./render-worker.ts', import.meta.url).href;
/** Loading Tiptap takes about half a second; a worker that is not ready after this never will be. */
const STARTUP_TIMEOUT_MS = 30_000;

/** Thrown when a render took longer than `maxRenderMs`; the route answers 422. */
export class RenderTimeoutError extends Error {
  constructor(readonly maxRenderMs: number) {
    super(`rendering took longer than ${maxRenderMs} ms (MAX_RENDER_MS)`);
  }
}

/** Thrown when a render is refused before it starts; `retryAfterSeconds` is when to try again. */
export class RenderRefusedError extends Error {
  constructor(
    /** `busy`: every worker is taken and the queue is full (503); `owner`: this account has too many (429); `closed`: the server is stopping. */
    readonly reason: 'busy' | 'owner' | 'closed',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** How many workers and how much each render may take. */
export interface RenderPoolOptions {
  workers: number;
  maxRenderMs: number;
  /** Renders that may wait for a worker. */
  maxQueue: number;
  /** Renders one owner (account) may have running or waiting. */
  maxPerOwner: number;
  structure: StructureLimits;
}

/** Where a render's document comes from: its Yjs updates, read once a worker is free. */
export type RenderSource = () => Uint8Array[] | Promise<Uint8Array[]>;

interface Job {
  format: ContentFormat;
  source: RenderSource;
  resolve(body: string): void;
  reject(error: unknown): void;
}

/** One worker thread, doing at most one render at a time. */
class RenderThread {
  private readonly worker = new Worker(WORKER_URL);
  private waiter: ((message: RenderWorkerMessage | Error) => void) | null = null;
  private readonly startup: Promise<void>;
  /** Why the thread ended (terminated, crashed, never started); null while it runs. */
  ended: Error | null = null;
  /** Whether it ever became ready: a thread that did is worth replacing at once when it ends. */
  started = false;

  constructor() {
    // An idle render worker must not keep a stopping process alive. (Bun's Worker has unref; the
    // DOM library the project also loads types the global as the browser's, which has not.)
    (this.worker as unknown as Bun.Worker).unref();
    this.worker.addEventListener('message', (event: MessageEvent<RenderWorkerMessage>) => this.deliver(event.data));
    this.worker.addEventListener('error', (event) => this.end(new Error(`render worker failed: ${event.message}`)));
    this.worker.addEventListener('close', () => this.end(new Error('render worker exited')));
    const timer = setTimeout(() => this.end(new Error(`render worker not ready within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    this.startup = this.next().then((message) => {
      clearTimeout(timer);
      if (message.kind !== 'ready') throw new Error(`render worker said ${message.kind} before it was ready`);
      this.started = true;
    });
    // Awaited by the first render; a failure before then must not go unhandled.
    this.startup.catch(() => {});
  }

  /** Renders `request`; past `maxRenderMs` the thread is terminated and the render fails with `RenderTimeoutError`. */
  async render(request: RenderRequest, maxRenderMs: number): Promise<RenderWorkerMessage> {
    await this.startup;
    const answer = this.next();
    this.worker.postMessage(request);
    const timer = setTimeout(() => this.end(new RenderTimeoutError(maxRenderMs)), maxRenderMs);
    try {
      return await answer;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Terminates the thread (once); whatever waits on it fails with `reason`. */
  end(reason: Error): void {
    if (this.ended) return;
    this.ended = reason;
    this.worker.terminate();
    this.deliver(reason);
  }

  private next(): Promise<RenderWorkerMessage> {
    return new Promise((resolve, reject) => {
      if (this.ended) return reject(this.ended);
      this.waiter = (message) => (message instanceof Error ? reject(message) : resolve(message));
    });
  }

  private deliver(message: RenderWorkerMessage | Error): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(message);
  }
}

/** A fixed number of render workers, started when first needed, with a bounded queue in front. */
export class RenderPool {
  private readonly threads: (RenderThread | null)[];
  private readonly busy: boolean[];
  private readonly waiting: Job[] = [];
  private readonly perOwner = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: RenderPoolOptions) {
    this.threads = Array.from({ length: options.workers }, () => null);
    this.busy = Array.from({ length: options.workers }, () => false);
  }

  /** Renders the document `source` gives as `format`, for `owner`; refusals throw `RenderRefusedError` at once. */
  render(owner: string, format: ContentFormat, source: RenderSource): Promise<string> {
    const retryAfterSeconds = Math.max(1, Math.ceil(this.options.maxRenderMs / 1000));
    if (this.closed) return Promise.reject(new RenderRefusedError('closed', 'the server is stopping', retryAfterSeconds));
    const owned = this.perOwner.get(owner) ?? 0;
    if (owned >= this.options.maxPerOwner) {
      const message = `this account already has ${owned} renders running or waiting (MAX_RENDERS_PER_USER)`;
      return Promise.reject(new RenderRefusedError('owner', message, retryAfterSeconds));
    }
    // A free worker takes a job at once (see pump), so jobs wait only when every worker is busy.
    if (this.waiting.length >= this.options.maxQueue && !this.busy.includes(false)) {
      const message = `every render worker is busy and ${this.waiting.length} renders are waiting (MAX_RENDER_QUEUE)`;
      return Promise.reject(new RenderRefusedError('busy', message, retryAfterSeconds));
    }
    this.perOwner.set(owner, owned + 1);
    const rendered = new Promise<string>((resolve, reject) => this.waiting.push({ format, source, resolve, reject }));
    this.pump();
    return rendered.finally(() => {
      const left = (this.perOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.perOwner.set(owner, left);
      else this.perOwner.delete(owner);
    });
  }

  /** Refuses every waiting and running render and terminates the workers (server stop). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const reason = new RenderRefusedError('closed', 'the server is stopping', 1);
    for (const job of this.waiting.splice(0)) job.reject(reason);
    for (const thread of this.threads) thread?.end(reason);
  }

  private pump(): void {
    for (let slot = 0; slot < this.busy.length && this.waiting.length > 0 && !this.closed; slot++) {
      if (this.busy[slot]) continue;
      this.busy[slot] = true;
      void this.run(slot, this.waiting.shift()!).finally(() => {
        this.busy[slot] = false;
        this.pump();
      });
    }
  }

  private async run(slot: number, job: Job): Promise<void> {
    let thread = this.threads[slot];
    if (!thread || thread.ended) thread = this.threads[slot] = new RenderThread();
    try {
      const updates = await job.source();
      const answer = await thread.render({ format: job.format, updates, limits: this.options.structure }, this.options.maxRenderMs);
      if (answer.kind === 'rendered') job.resolve(answer.body);
      else if (answer.kind === 'failed') job.reject(answer.tooComplex ? new DocumentTooComplexError(answer.message) : new Error(answer.message));
      else job.reject(new Error('render worker answered out of turn'));
    } catch (error) {
      job.reject(error);
    }
    // A worker that ran over (or crashed mid-render) is replaced now, so the next render finds one
    // ready; one that never started is retried only when the next render needs it.
    if (thread.ended && thread.started && !this.closed) this.threads[slot] = new RenderThread();
  }
}
