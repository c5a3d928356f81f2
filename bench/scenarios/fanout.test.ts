import { describe, expect, test } from 'bun:test';
import { medianOfRounds } from './fanout.ts';
import type { ResultRow } from './types.ts';

const round = (p99: number, cpu: number, converged = true): ResultRow => ({
  server: 'quire',
  case: 'N=200',
  metrics: { clients: 200, deliveryP99Ms: p99, serverCpuPercent: cpu, converged, label: 'same' },
});

describe('fan-out rounds', () => {
  test('each figure is the median of the rounds, with every round’s p99 and CPU beside it', () => {
    const row = medianOfRounds([round(40, 12.5), round(21, 9.1), round(30, 10.2)]);
    expect(row.metrics).toMatchObject({
      clients: 200,
      deliveryP99Ms: 30,
      serverCpuPercent: 10.2,
      rounds: 3,
      deliveryP99MsByRound: '40 / 21 / 30',
      serverCpuPercentByRound: '12.5 / 9.1 / 10.2',
      label: 'same',
    });
  });

  test('a round that did not converge marks the row as not converged', () => {
    expect(medianOfRounds([round(20, 9), round(21, 9, false), round(22, 9)]).metrics.converged).toBe(false);
  });

  test('a failed round is left out; a server that failed every round keeps its error', () => {
    const failed: ResultRow = { server: 'quire', case: 'N=200', metrics: {}, error: 'did not sync' };
    const row = medianOfRounds([failed, round(20, 9), round(26, 11)]);
    expect(row.error).toBeUndefined();
    expect(row.metrics.rounds).toBe(2);
    expect(row.metrics.deliveryP99MsByRound).toBe('20 / 26');
    expect(medianOfRounds([failed, failed]).error).toBe('did not sync');
  });
});
