/**
 * A load-generator process. The coordinator starts a few of these (never in the server's
 * process) and sends them requests over IPC; each request runs one operation and answers with
 * its result or error. The worker exits when its parent goes away.
 */
import * as concurrent from './ops/concurrent-replay.ts';
import { reviseDocument } from './ops/history-ops.ts';
import * as sessions from './ops/session-ops.ts';
import * as sse from './ops/sse-ops.ts';
import { runHttpLoad } from './ops/http-load.ts';
import * as trace from './ops/trace-ops.ts';
import type { RequestFrame, ResponseFrame, WorkerOp, WorkerRequests, WorkerResponses } from './worker-protocol.ts';

type Handlers = { [Op in WorkerOp]: (args: WorkerRequests[Op]) => WorkerResponses[Op] | Promise<WorkerResponses[Op]> };

const handlers: Handlers = {
  open: sessions.openClients,
  type: sessions.typeAndMeasure,
  closeAll: () => {
    trace.closeTraceClients();
    sse.closeStreams();
    return sessions.closeAll();
  },
  tracePrepare: trace.prepareTrace,
  traceConnectWriter: trace.connectWriter,
  traceSend: trace.sendTrace,
  observerConnect: trace.connectObserver,
  observerWait: trace.waitForObserver,
  coldLoad: trace.coldLoad,
  concurrentReplay: concurrent.replayConcurrentTrace,
  sseSubscribe: sse.subscribe,
  sseMeasure: sse.measure,
  httpLoad: runHttpLoad,
  reviseDocument,
};

async function handle(frame: RequestFrame): Promise<ResponseFrame> {
  try {
    const handler = handlers[frame.op] as (args: unknown) => unknown;
    return { id: frame.id, ok: true, result: await handler(frame.args) };
  } catch (error) {
    return { id: frame.id, ok: false, error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
}

process.on('message', (frame: RequestFrame) => {
  void handle(frame).then((response) => process.send?.(response));
});
process.on('disconnect', () => process.exit(0));
