/**
 * Which editing traces the suite carries and what kind each is: a single author's keystrokes
 * (sequential) or several authors' transactions forming a DAG (concurrent).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { traceFile, TRACES_DIR, type ConcurrentTrace, type SequentialTrace } from '../traces/trace-files.ts';

/** A trace of either kind, told apart by `kind`. */
export type AnyTrace = ({ kind: 'sequential' } & SequentialTrace) | ConcurrentTrace;

/** One trace the suite carries. */
export interface TraceInfo {
  name: string;
  authors: number;
  txns: number;
}

const TRACE_SUFFIX = '.json.gz';

/** Loads a trace file of either kind (the files carry `kind` only when concurrent). */
export function loadAnyTrace(file: string): AnyTrace {
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { kind?: string; txns?: unknown };
  if (!Array.isArray(data.txns)) throw new Error(`${file} holds no transactions`);
  if (data.kind === 'concurrent') return data as ConcurrentTrace;
  return { ...(data as SequentialTrace), kind: 'sequential' };
}

/** Every trace in bench/traces/editing-traces, by name, with its number of authors. */
export function suiteTraces(): TraceInfo[] {
  const names = readdirSync(TRACES_DIR)
    .filter((file) => file.endsWith(TRACE_SUFFIX))
    .map((file) => file.slice(0, -TRACE_SUFFIX.length))
    .sort();
  return names.map((name) => {
    const trace = loadAnyTrace(traceFile(name));
    return { name, authors: trace.kind === 'concurrent' ? trace.numAgents : 1, txns: trace.txns.length };
  });
}
