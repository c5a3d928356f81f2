/** The fan-out chart (latency vs clients, one line per server), rendered to SVG with Vega-Lite. */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { ScenarioResult } from '../scenarios/types.ts';

interface Point {
  server: string;
  clients: number;
  statistic: string;
  latencyMs: number;
}

function fanoutPoints(results: readonly ScenarioResult[]): Point[] {
  const fanout = results.find((result) => result.id === 'fanout');
  const points: Point[] = [];
  for (const row of fanout?.rows ?? []) {
    const clients = row.metrics.clients;
    if (typeof clients !== 'number' || !row.case.startsWith('N=')) continue;
    for (const [statistic, key] of [['median', 'deliveryMedianMs'], ['p99', 'deliveryP99Ms']] as const) {
      const value = row.metrics[key];
      if (typeof value === 'number') points.push({ server: row.server, clients, statistic, latencyMs: value });
    }
  }
  return points;
}

/** SVG of the fan-out latency per server, or null when the run has no fan-out rows. */
export async function renderFanoutChart(results: readonly ScenarioResult[], subtitle: string): Promise<string | null> {
  const points = fanoutPoints(results);
  if (points.length === 0) return null;
  const spec: vegaLite.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Edit-to-peer latency vs connected clients (one document)', subtitle },
    data: { values: points },
    facet: { column: { field: 'statistic', type: 'nominal', title: null } },
    spec: {
      width: 320,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'clients', type: 'quantitative', title: 'connected clients', scale: { type: 'log' } },
        y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)', scale: { type: 'log' } },
        color: { field: 'server', type: 'nominal', title: 'server' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
