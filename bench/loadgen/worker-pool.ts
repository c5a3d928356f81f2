/**
 * The coordinator's side of the load generator: starts worker processes, sends them typed
 * requests, and kills them when done. Timing that spans processes (trace replay) is taken here,
 * in one process, so no two clocks are ever compared.
 */
import path from 'node:path';
import type { Subprocess } from 'bun';
import { withDeadline } from '../lib/deadline.ts';
import { registerChild } from '../lib/process-registry.ts';
import { REPO_ROOT } from '../servers/targets.ts';
import type { ResponseFrame, WorkerOp, WorkerRequests, WorkerResponses } from './worker-protocol.ts';

const WORKER_ENTRY = path.join(import.meta.dir, 'worker.ts');
// Bun limits concurrent fetches per process to 256 by default; SSE subscribers each hold one.
const WORKER_ENV = { BUN_CONFIG_MAX_HTTP_REQUESTS: '4096' };

/** One load-generator process. */
export class LoadWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly child: Subprocess;

  constructor(readonly index: number) {
    this.child = Bun.spawn([process.execPath, WORKER_ENTRY], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...WORKER_ENV },
      stdin: 'ignore',
      stdout: 'inherit',
      stderr: 'inherit',
      serialization: 'advanced',
      ipc: (message: ResponseFrame) => this.settle(message),
    });
    registerChild(this.child);
    void this.child.exited.then((code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`load worker ${index} exited with ${code}`));
      this.pending.clear();
    });
  }

  /** Sends one request and waits (at most `timeoutMs`) for its result. */
  request<Op extends WorkerOp>(op: Op, args: WorkerRequests[Op], timeoutMs: number): Promise<WorkerResponses[Op]> {
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.child.send({ id, op, args });
    return withDeadline(result, timeoutMs, `worker ${this.index} ${op}`) as Promise<WorkerResponses[Op]>;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private settle(message: ResponseFrame): void {
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(message.error));
  }
}

/** A set of workers that a scenario spreads its clients over. */
export class WorkerPool {
  readonly workers: LoadWorker[];

  constructor(size: number) {
    this.workers = Array.from({ length: size }, (_, index) => new LoadWorker(index));
  }

  /** Sends a request to every worker, each with its own arguments. */
  all<Op extends WorkerOp>(op: Op, argsFor: (worker: LoadWorker) => WorkerRequests[Op], timeoutMs: number): Promise<WorkerResponses[Op][]> {
    return Promise.all(this.workers.map((worker) => worker.request(op, argsFor(worker), timeoutMs)));
  }

  /** Closes all clients on every worker (used between phases and before stopping a server). */
  async closeAll(timeoutMs = 10_000): Promise<void> {
    await this.all('closeAll', () => ({}), timeoutMs).catch(() => {});
  }

  kill(): void {
    for (const worker of this.workers) worker.kill();
  }
}
