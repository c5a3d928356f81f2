/**
 * The checkpoint thread (see `wal-checkpointer.ts`): copies committed pages from the write-ahead
 * log into the database file, syncs included, away from the server's event loop. PASSIVE: it
 * never waits for the writer or for readers, and copies what it can.
 */
import { Database } from 'bun:sqlite';
import type { CheckpointerCommand, CheckpointerReport } from './wal-checkpointer.ts';

declare const self: Worker;

let db: Database | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let pace = { idleMs: 1_000, busyMs: 50 };
/** The last timed checkpoint's figures: an unchanged log is not reported again. */
let lastLog = 0;
let lastCheckpointed = 0;

function report(message: CheckpointerReport): void {
  self.postMessage(message);
}

/** Runs one checkpoint; one asked for (`answers`) is always answered, a timed one only when it copied something new. */
function checkpoint(answers?: number): void {
  if (timer) clearTimeout(timer);
  timer = null;
  if (!db) {
    if (answers !== undefined) report({ kind: 'checkpointed', answers, log: 0, checkpointed: 0, busy: true });
    return;
  }
  let behind = false;
  try {
    const row = db.query('PRAGMA wal_checkpoint(PASSIVE)').get() as { busy: number; log: number; checkpointed: number };
    const changed = row.checkpointed > 0 && (row.log !== lastLog || row.checkpointed !== lastCheckpointed);
    if (answers !== undefined || changed) report({ kind: 'checkpointed', answers, log: row.log, checkpointed: row.checkpointed, busy: row.busy !== 0 });
    lastLog = row.log;
    lastCheckpointed = row.checkpointed;
    // Pages left behind (the log grew meanwhile, or another connection was checkpointing): again soon.
    behind = row.busy !== 0 || row.checkpointed < row.log;
  } catch (error) {
    report({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  timer = setTimeout(() => checkpoint(), behind ? pace.busyMs : pace.idleMs);
}

self.onmessage = (event: MessageEvent<CheckpointerCommand>) => {
  const command = event.data;
  if (command.kind === 'start') {
    try {
      // The server created the database; this connection only ever copies pages within it.
      db = new Database(command.file, { readwrite: true, create: false });
      // Never wait for a lock: a checkpoint that finds one busy is simply tried again.
      db.exec('PRAGMA busy_timeout = 0');
    } catch (error) {
      return report({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
    pace = { idleMs: command.idleMs, busyMs: command.busyMs };
    timer = setTimeout(() => checkpoint(), command.idleMs);
    return;
  }
  if (command.kind === 'checkpoint') return checkpoint(command.id);
  if (timer) clearTimeout(timer);
  timer = null;
  db?.close();
  db = null;
  report({ kind: 'stopped' });
};
