/**
 * A short run of the crash soak (bench/soak.ts): three SIGKILLs while three stock clients type;
 * nothing any client had received is lost, nothing is stored twice. `bun bench/soak.ts` runs
 * the long one.
 */
import { expect, test } from 'bun:test';
import { runSoak } from '../../bench/soak.ts';

test('three SIGKILLs while three clients type: every acknowledged paragraph survives, none is duplicated', async () => {
  const lines: string[] = [];
  const result = await runSoak({ kills: 3, clients: 3, killWindowMs: [150, 600], timeoutMs: 45_000, log: (line) => lines.push(line) });
  const report = lines.join('\n');
  expect(result.rounds.length, report).toBe(3);
  expect(result.acknowledged, report).toBeGreaterThan(0);
  expect(result.rounds.every((round) => round.typed > 0), report).toBe(true);
  expect({ lost: result.lost, duplicated: result.duplicated, corrupt: result.corrupt }, report).toEqual({ lost: 0, duplicated: 0, corrupt: 0 });
  expect(result.finalStored, report).toBe(result.typed);
}, 60_000);
