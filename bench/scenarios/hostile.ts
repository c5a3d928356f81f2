/**
 * Scenario 8, the hostile neighbour (Quire only): honest clients type into one document while
 * one signed-in account runs each attack of the hardening review in turn. Reported per attack:
 * the honest clients' delivery latency and losses against the same run without an attacker, and
 * the longest wait of a `/healthz` poll every 50 ms (goal: 250 ms; the test suites allow 2 s).
 */
import { ATTACKS, type AttackOutcome } from '../lib/attacks.ts';
import type { RunningServer } from '../servers/launcher.ts';
import { provisionDocuments } from '../servers/launcher.ts';
import { openOneDocument, typeOnce } from './fanout.ts';
import { withServer } from './server-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

export const HEALTH_WAIT_GOAL_MS = 250;
const NO_ATTACKER = 'no attacker';

/** Polls `/healthz` every 50 ms until stopped; resolves with the longest wait from due to answer. */
function pollHealth(httpUrl: string): { stop(): Promise<number> } {
  let running = true;
  let longest = 0;
  const loop = (async () => {
    let due = performance.now();
    while (running) {
      await fetch(`${httpUrl}/healthz`).then((response) => response.arrayBuffer()).catch(() => null);
      longest = Math.max(longest, performance.now() - due);
      due = performance.now() + 50;
      await Bun.sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return longest;
    },
  };
}

async function measureCase(
  context: ScenarioContext,
  server: RunningServer,
  name: string,
  attack: (() => Promise<AttackOutcome>) | null,
): Promise<ResultRow> {
  const { clients, writers, editsPerSecondPerWriter, durationMs, settleMs } = context.plan.hostile;
  const health = pollHealth(server.httpUrl);
  const attacking = attack?.().catch((error: unknown) => ({ sent: 0, answer: `attack failed: ${error instanceof Error ? error.message : String(error)}` }));
  const outcome = await typeOnce(context, [server], writers, writers * editsPerSecondPerWriter, durationMs, settleMs);
  const attackOutcome = await attacking;
  const longestHealthWaitMs = Math.round((await health.stop()) * 10) / 10;
  const use = outcome.uses[0];
  context.log(`    ${name}: p99 ${outcome.delivery.p99} ms, healthz ${longestHealthWaitMs} ms${attackOutcome ? `; ${attackOutcome.answer}` : ''}`);
  return {
    server: 'quire',
    case: name,
    metrics: {
      clients,
      writers,
      editsSent: outcome.editsSent,
      deliveryMedianMs: outcome.delivery.median,
      deliveryP99Ms: outcome.delivery.p99,
      editsIncomplete: outcome.editsIncomplete,
      converged: outcome.converged,
      longestHealthWaitMs,
      healthGoalMet: longestHealthWaitMs <= HEALTH_WAIT_GOAL_MS,
      serverPeakRssMiB: use?.peakRssMiB ?? null,
      attackSent: attackOutcome?.sent ?? null,
      serverAnswer: attackOutcome?.answer ?? null,
    },
  };
}

/** Runs the honest load alone, then once beside each attack. */
export const hostileScenario: Scenario = async (context) => {
  const { clients, writers, durationMs } = context.plan.hostile;
  const rows = context.servers.includes('quire')
    ? await withServer(context, 'quire', async (server) => {
        await openOneDocument(context, [server], clients, writers);
        const [honestDocumentId] = await provisionDocuments(server, 1, 'honest');
        if (!honestDocumentId) throw new Error('no document');
        const target = { httpUrl: server.httpUrl, wsUrl: server.httpUrl.replace(/^http/, 'ws'), token: server.token, honestDocumentId };
        const measured: ResultRow[] = [await measureCase(context, server, NO_ATTACKER, null)];
        for (const [name, attack] of Object.entries(ATTACKS)) measured.push(await measureCase(context, server, name, () => attack(target)));
        return measured;
      })
    : [];
  return {
    id: 'hostile',
    title: '8. Hostile neighbour (Quire: honest clients typing while one account attacks)',
    rows,
    compareMetrics: [],
    baseline: {
      metrics: ['deliveryP99Ms', 'longestHealthWaitMs'],
      cases: Object.fromEntries(Object.keys(ATTACKS).map((name) => [name, NO_ATTACKER])),
    },
    notes: [
      `${clients} honest clients on one document, ${writers} of them typing, for ${durationMs / 1000} s per case; the attacker is one signed-in account of the same server, over loopback.`,
      `longestHealthWaitMs: the longest time a /healthz poll (every 50 ms) waited from when it was due to its answer; goal ${HEALTH_WAIT_GOAL_MS} ms.`,
      'The awareness flood and the many sockets target the honest document; nested blocks and the wide document go to the attacker\'s own documents.',
      'The load generator signs every honest client in with one account from one address, so the benchmark raises the per-address and per-account connection limits to fit it (printed with the run); those caps are proven by the test suites instead.',
    ],
  };
};
