/**
 * Scenario 8, the hostile neighbour (Quire only): honest clients type into one document while
 * one signed-in account runs each attack of the hardening review in turn. Reported per attack:
 * the honest clients' delivery latency and losses against the same run without an attacker, and
 * the longest wait of a `/healthz` poll every 50 ms (goal: 250 ms; the test suites allow 2 s).
 */
import { loadConfig } from '../../server/config.ts';
import { startWatchdog } from '../../server/test-support/watchdog.ts';
import { ATTACKS, buildPayloads, type AttackOutcome, type AttackTarget } from '../lib/attacks.ts';
import { withDeadline } from '../lib/deadline.ts';
import type { RunningServer } from '../servers/launcher.ts';
import { provisionDocuments } from '../servers/launcher.ts';
import { openOneDocument, typeOnce } from './fanout.ts';
import { withServer } from './server-session.ts';
import type { ResultRow, Scenario, ScenarioContext } from './types.ts';

export const HEALTH_WAIT_GOAL_MS = 250;
const NO_ATTACKER = 'no attacker';
/** A poll that waits this long is recorded as such and the poller moves on. */
const HEALTH_POLL_TIMEOUT_MS = 30_000;

/**
 * The activity-stream caps at Quire's own defaults, on top of the benchmark's raised settings:
 * the honest clients open no streams, so the stream flood meets the caps people get.
 */
const quireDefaults = loadConfig({}).limits;
export const STREAM_CAPS_AT_DEFAULTS: Readonly<Record<string, string>> = {
  MAX_STREAMS_PER_SESSION: String(quireDefaults.maxStreamsPerSession),
  MAX_STREAMS_PER_USER: String(quireDefaults.maxStreamsPerUser),
};

/** Kept out of the attacks' share of the time bound: starting the server, opening the honest clients, stopping. */
const SETUP_RESERVE_MS = 40_000;
/** How long a stopped attack has to let go of what it holds. */
const ATTACK_GRACE_MS = 2_000;

/**
 * How long each attack may run before it is stopped (between 10 s and 60 s). A case lasts as long
 * as its typing or its attack, whichever is longer, so the attacks share what the scenario's time
 * bound leaves after the setup reserve and the case without an attacker: quick 20 s, full 60 s.
 */
function attackLimitMs(context: ScenarioContext): number {
  const { durationMs, settleMs } = context.plan.hostile;
  const forAttacks = context.plan.scenarioTimeoutMs - SETUP_RESERVE_MS - (durationMs + settleMs + 1_000);
  const each = Math.floor(forAttacks / Object.keys(ATTACKS).length / 1_000) * 1_000 - ATTACK_GRACE_MS;
  return Math.min(60_000, Math.max(10_000, each));
}


/** Runs `attack` until it ends or its time is up; past the limit it is told to stop, and given ATTACK_GRACE_MS to. */
async function runAttack(attack: (signal: AbortSignal) => Promise<AttackOutcome>, limitMs: number): Promise<AttackOutcome & { ms: number }> {
  const started = performance.now();
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), limitMs);
  try {
    const outcome = await withDeadline(attack(stop.signal), limitMs + ATTACK_GRACE_MS, 'attack');
    return { ...outcome, answer: stop.signal.aborted ? `${outcome.answer} (stopped at ${limitMs / 1000} s)` : outcome.answer, ms: performance.now() - started };
  } catch (error) {
    return { sent: 0, answer: `attack failed: ${error instanceof Error ? error.message : String(error)}`, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
}

async function measureCase(
  context: ScenarioContext,
  server: RunningServer,
  name: string,
  attack: ((signal: AbortSignal) => Promise<AttackOutcome>) | null,
): Promise<ResultRow> {
  const { clients, writers, editsPerSecondPerWriter, durationMs, settleMs } = context.plan.hostile;
  const health = startWatchdog(server.httpUrl, 50, HEALTH_POLL_TIMEOUT_MS);
  const attacking = attack ? runAttack(attack, attackLimitMs(context)) : null;
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
      attackSeconds: attackOutcome ? Math.round(attackOutcome.ms / 100) / 10 : null,
      serverAnswer: attackOutcome?.answer ?? null,
    },
  };
}

/** Runs the honest load alone, then once beside each attack. */
export const hostileScenario: Scenario = async (context) => {
  const { clients, writers, durationMs } = context.plan.hostile;
  const streamCaps = Object.entries(STREAM_CAPS_AT_DEFAULTS).map(([name, value]) => `${name}=${value}`).join(', ');
  const rows = context.servers.includes('quire')
    ? await withServer(
        context,
        'quire',
        async (server) => {
          context.log(`    stream caps at Quire's defaults: ${streamCaps}; each attack stopped after ${attackLimitMs(context) / 1000} s`);
          const payloads = buildPayloads();
          await openOneDocument(context, [server], clients, writers);
          const [honestDocumentId] = await provisionDocuments(server, 1, 'honest');
          if (!honestDocumentId) throw new Error('no document');
          const target: Omit<AttackTarget, 'signal'> = { httpUrl: server.httpUrl, wsUrl: server.httpUrl.replace(/^http/, 'ws'), token: server.token, honestDocumentId };
          const measured: ResultRow[] = [await measureCase(context, server, NO_ATTACKER, null)];
          for (const [name, attack] of Object.entries(ATTACKS)) {
            measured.push(await measureCase(context, server, name, (signal) => attack({ ...target, signal }, payloads)));
          }
          return measured;
        },
        { env: { ...STREAM_CAPS_AT_DEFAULTS } },
      )
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
      `Activity-stream caps left at Quire's defaults in this scenario (${streamCaps}), overriding the benchmark-wide raise: the honest clients open no streams.`,
      `Each attack is stopped after ${attackLimitMs(context) / 1000} s at most (attackSeconds: how long it ran); its payloads are built before the first case, so building them is not counted as the server's wait.`,
    ],
  };
};
