/**
 * Reading the real editing traces kept in bench/traces/editing-traces (josephg/editing-traces, CC BY 4.0;
 * the automerge-paper trace is Martin Kleppmann's; see editing-traces/README.md). Their attribution travels
 * with every result file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO_ROOT } from '../servers/targets.ts';

/** Directory holding the traces, inside the repository so a bare checkout can replay them. */
export const TRACES_DIR = path.join(REPO_ROOT, 'bench', 'traces', 'editing-traces');

/** The attribution line every published figure derived from the traces must carry. */
export const TRACE_ATTRIBUTION =
  'Editing traces (automerge-paper, friendsforever, json-crdt-blog-post, sveltecomponent) from josephg/editing-traces, licensed CC BY 4.0; automerge-paper is Martin Kleppmann\'s trace from automerge/automerge-perf.';

/** One edit: delete `deleteCount` characters at `position`, then insert `text` there. */
export type Patch = [position: number, deleteCount: number, text: string];

/** A keystroke-level history edited by one author. */
export interface SequentialTrace {
  startContent: string;
  endContent: string;
  txns: { patches: Patch[] }[];
}

/** A history of several authors whose transactions form a DAG. */
export interface ConcurrentTrace {
  kind: 'concurrent';
  endContent: string;
  numAgents: number;
  txns: { parents: number[]; agent: number; patches: Patch[] }[];
}

/** Absolute path of a trace file by its base name (e.g. `automerge-paper`). */
export function traceFile(name: string): string {
  return path.join(TRACES_DIR, `${name}.json.gz`);
}

function readGzipJson(file: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}

/** Loads a sequential trace. */
export function loadSequentialTrace(file: string): SequentialTrace {
  const trace = readGzipJson(file) as SequentialTrace;
  if (!Array.isArray(trace.txns)) throw new Error(`${file} is not a sequential trace`);
  return trace;
}

/** Loads a concurrent trace. */
export function loadConcurrentTrace(file: string): ConcurrentTrace {
  const trace = readGzipJson(file) as ConcurrentTrace;
  if (trace.kind !== 'concurrent') throw new Error(`${file} is not a concurrent trace`);
  return trace;
}

/** Applies patches to a plain string: the reference result a replay must reproduce. */
export function applyPatchesToString(text: string, patches: readonly Patch[]): string {
  let result = text;
  for (const [position, deleteCount, inserted] of patches) {
    result = result.slice(0, position) + inserted + result.slice(position + deleteCount);
  }
  return result;
}

/** The text after the first `txnLimit` transactions of a sequential trace. */
export function expectedTextAfter(trace: SequentialTrace, txnLimit: number): string {
  if (txnLimit >= trace.txns.length) return trace.endContent;
  let text = trace.startContent;
  for (const txn of trace.txns.slice(0, txnLimit)) text = applyPatchesToString(text, txn.patches);
  return text;
}
