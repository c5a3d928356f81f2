/**
 * Scenarios 9 and 10, a first visit to a document (Quire only): the JavaScript it costs over the
 * wire (goal 200 KB compressed) and, on a throttled network, the time from navigation to an
 * editable document (goal 2.0 s). Each visit is a new browser context: cold cache, no service worker.
 */
import type { Page, Request } from '@playwright/test';
import { quantileOfSorted, round } from '../lib/stats.ts';
import { CHROMIUM_FLAGS, CLIENT_SCENARIO_SETTINGS, editableAt, importDocument, paragraphs, recordEditableAt, VIEWPORT, withBrowserBench, type BrowserBench } from './browser-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

export const FIRST_VISIT_JS_GOAL_KB = 200;
export const FIRST_VISIT_EDITABLE_GOAL_MS = 2_000;
/** The throttled network of the time-to-editable goal (Lighthouse's mobile profile), for CDP Network.emulateNetworkConditions. */
export const THROTTLE = { downloadKbit: 1_600, uploadKbit: 750, rttMs: 150 };
/** The document opened: enough text to be a real page, small next to the code. */
const PARAGRAPHS = 60;
/** After the editor is editable, scripts requested within this long still count (lazy chunks of the first paint). */
const SETTLE_MS = 1_500;
const EDITABLE_TIMEOUT_MS = 30_000;

const settings = () => Object.entries(CLIENT_SCENARIO_SETTINGS).map(([name, value]) => `${name}=${value}`).join(', ');
const kb = (bytes: number) => round(bytes / 1000, 1);

interface Visit {
  editableMs: number;
  scripts: { url: string; encodedBytes: number; decodedBytes: number; encoding: string }[];
}

/** Opens `/d/:id` in a cold context (throttled when asked) and records its scripts and when it became editable. */
async function visit(bench: BrowserBench, documentId: string, throttled: boolean): Promise<Visit> {
  const browserContext = await bench.coldContext();
  try {
    const page = await browserContext.newPage();
    if (throttled) await throttle(page);
    const pending: Promise<Visit['scripts'][number] | null>[] = [];
    page.on('requestfinished', (request) => pending.push(scriptSize(request)));
    await recordEditableAt(page, PARAGRAPHS);
    await page.goto(`/d/${documentId}`);
    const editableMs = await editableAt(page, EDITABLE_TIMEOUT_MS);
    await page.waitForTimeout(SETTLE_MS);
    const scripts = (await Promise.all(pending)).filter((script) => script !== null);
    return { editableMs, scripts };
  } finally {
    await browserContext.close();
  }
}

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: THROTTLE.rttMs,
    downloadThroughput: (THROTTLE.downloadKbit * 1000) / 8,
    uploadThroughput: (THROTTLE.uploadKbit * 1000) / 8,
  });
}

async function scriptSize(request: Request) {
  if (request.resourceType() !== 'script') return null;
  const response = await request.response();
  if (!response) return null;
  const [sizes, body, encoding] = await Promise.all([request.sizes(), response.body(), response.headerValue('content-encoding')]);
  return { url: new URL(request.url()).pathname, encodedBytes: sizes.responseBodySize, decodedBytes: body.length, encoding: encoding ?? 'identity' };
}

async function withFirstVisits(context: ScenarioContext, throttled: boolean, measure: (visits: Visit[]) => ResultRow): Promise<ResultRow[]> {
  const { visits } = context.plan.client;
  return withBrowserBench(context, async (bench) => {
    const documentId = await importDocument(bench.server, 'First visit', paragraphs(PARAGRAPHS));
    const results: Visit[] = [];
    for (let index = 0; index < visits; index++) results.push(await visit(bench, documentId, throttled));
    return [measure(results)];
  });
}

const median = (values: number[]) => quantileOfSorted(Float64Array.from(values).sort(), 0.5);
const p95 = (values: number[]) => quantileOfSorted(Float64Array.from(values).sort(), 0.95);

/** Scenario 9: JavaScript bytes a first visit to `/d/:id` transfers. */
export const firstVisitJsScenario: Scenario = async (context) => {
  const rows = await withFirstVisits(context, false, (visits) => {
    const totals = visits.map((one) => one.scripts.reduce((sum, script) => sum + script.encodedBytes, 0));
    const decoded = visits.map((one) => one.scripts.reduce((sum, script) => sum + script.decodedBytes, 0));
    const first = visits[0]?.scripts ?? [];
    const encodedKb = kb(median(totals) ?? 0) ?? 0;
    context.log(`    ${encodedKb} KB of JavaScript over the wire (${first.map((script) => `${script.url.replace('/assets/', '')} ${kb(script.encodedBytes)} ${script.encoding}`).join(', ')})`);
    return {
      server: 'quire',
      case: `/d/:id, ${PARAGRAPHS} paragraphs`,
      metrics: {
        scriptRequests: first.length,
        jsOverWireKB: encodedKb,
        jsUncompressedKB: kb(median(decoded) ?? 0),
        contentEncodings: [...new Set(first.map((script) => script.encoding))].join(' '),
        goalKB: FIRST_VISIT_JS_GOAL_KB,
        goalMet: encodedKb <= FIRST_VISIT_JS_GOAL_KB,
      },
    };
  });
  return {
    id: 'first-visit-js',
    title: '12. First visit: JavaScript over the wire (Quire, Chromium)',
    rows,
    compareMetrics: [],
    notes: [
      `Bytes are the encoded (transferred) sizes of every script response a cold context's page loads for /d/:id, until the editor is editable plus ${SETTLE_MS / 1000} s; the service worker's precache fetches afterwards are not the page's and are not counted. Median of ${context.plan.client.visits} visits; KB = 1000 bytes.`,
      `Settings changed: ${settings()}; Chromium ${CHROMIUM_FLAGS.join(' ')}, viewport ${VIEWPORT.width}×${VIEWPORT.height}, unthrottled loopback.`,
    ],
  };
};

/** Scenario 10: navigation to an editable document on a throttled network. */
export const firstVisitEditableScenario: Scenario = async (context) => {
  const rows = await withFirstVisits(context, true, (visits) => {
    const times = visits.map((one) => one.editableMs);
    const medianMs = round(median(times), 0);
    context.log(`    editable after ${times.map((ms) => Math.round(ms)).join(', ')} ms`);
    return {
      server: 'quire',
      case: `${THROTTLE.downloadKbit / 1000} Mbit/s, ${THROTTLE.rttMs} ms RTT`,
      metrics: {
        visits: visits.length,
        editableMedianMs: medianMs,
        editableP95Ms: round(p95(times), 0),
        jsOverWireKB: kb(median(visits.map((one) => one.scripts.reduce((sum, script) => sum + script.encodedBytes, 0))) ?? 0),
        goalMs: FIRST_VISIT_EDITABLE_GOAL_MS,
        goalMet: (p95(times) ?? Infinity) <= FIRST_VISIT_EDITABLE_GOAL_MS,
      },
    };
  });
  return {
    id: 'first-visit-editable',
    title: '13. First visit: navigation to an editable document, throttled (Quire, Chromium)',
    rows,
    compareMetrics: [],
    notes: [
      `From navigation start to the editor being contenteditable=true with the document's last paragraph in it (a MutationObserver installed before any page script), in a cold context each time. CDP Network.emulateNetworkConditions: ${THROTTLE.downloadKbit} kbit/s down, ${THROTTLE.uploadKbit} kbit/s up, ${THROTTLE.rttMs} ms latency per request. Goal met when the p95 of ${context.plan.client.visits} visits is within ${FIRST_VISIT_EDITABLE_GOAL_MS} ms.`,
      `Settings changed: ${settings()}; Chromium ${CHROMIUM_FLAGS.join(' ')}, viewport ${VIEWPORT.width}×${VIEWPORT.height}.`,
    ],
  };
};
