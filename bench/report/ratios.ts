/** Quire's figures as ratios to each peer measured in the same run (below 1 = Quire is better). */
import { ratio } from '../lib/stats.ts';
import type { ScenarioResult } from '../scenarios/types.ts';
import type { TargetName } from '../servers/targets.ts';

/** One ratio: Quire's value of `metric` in `case` divided by `peer`'s. */
export interface PeerRatio {
  case: string;
  metric: string;
  peer: TargetName;
  quire: number;
  peerValue: number;
  ratio: number;
}

/** Every ratio a scenario's compare metrics allow. */
export function quireRatios(result: ScenarioResult): PeerRatio[] {
  const ratios: PeerRatio[] = [];
  for (const quireRow of result.rows.filter((row) => row.server === 'quire' && !row.error)) {
    for (const peerRow of result.rows.filter((row) => row.server !== 'quire' && row.case === quireRow.case && !row.error)) {
      for (const metric of result.compareMetrics) {
        const mine = quireRow.metrics[metric];
        const theirs = peerRow.metrics[metric];
        if (typeof mine !== 'number' || typeof theirs !== 'number') continue;
        const value = ratio(mine, theirs);
        if (value !== null) ratios.push({ case: quireRow.case, metric, peer: peerRow.server, quire: mine, peerValue: theirs, ratio: value });
      }
    }
  }
  return ratios;
}
