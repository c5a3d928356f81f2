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

/** One ratio within a server: a case's value of `metric` divided by its baseline case's. */
export interface BaselineRatio {
  server: TargetName;
  case: string;
  baseline: string;
  metric: string;
  value: number;
  baselineValue: number;
  ratio: number;
}

/** Every ratio to a baseline case that a scenario's `baseline` declares (e.g. 3 instances vs 1). */
export function baselineRatios(result: ScenarioResult): BaselineRatio[] {
  const ratios: BaselineRatio[] = [];
  if (!result.baseline) return ratios;
  const { metrics, cases } = result.baseline;
  for (const row of result.rows) {
    const baselineCase = cases[row.case];
    const reference = result.rows.find((candidate) => candidate.server === row.server && candidate.case === baselineCase);
    if (!baselineCase || !reference) continue;
    for (const metric of metrics) {
      const value = row.metrics[metric];
      const baselineValue = reference.metrics[metric];
      if (typeof value !== 'number' || typeof baselineValue !== 'number') continue;
      const scaled = ratio(value, baselineValue);
      if (scaled !== null) ratios.push({ server: row.server, case: row.case, baseline: baselineCase, metric, value, baselineValue, ratio: scaled });
    }
  }
  return ratios;
}
