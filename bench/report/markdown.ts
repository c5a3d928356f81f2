/** The human-readable report: one table per scenario, Quire's ratios to each peer, and notes. */
import type { ScenarioResult } from '../scenarios/types.ts';
import { QUIRE_BENCH_SETTINGS } from '../servers/targets.ts';
import { TRACE_ATTRIBUTION } from '../traces/trace-files.ts';
import type { RunSummary } from './run-summary.ts';
import { baselineRatios, quireRatios } from './ratios.ts';

const cell = (value: unknown): string => (value === null || value === undefined ? '–' : String(value).replaceAll('|', '\\|'));

function table(headers: string[], rows: unknown[][]): string {
  const lines = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/**
 * Rows grouped by the metrics they report, so a scenario measuring two kinds of thing gets two
 * narrow tables rather than one wide table of gaps. Rows with no metrics (failures) join the first.
 */
function rowGroups(rows: ScenarioResult['rows']): ScenarioResult['rows'][] {
  const groups = new Map<string, ScenarioResult['rows']>();
  const failed: ScenarioResult['rows'] = [];
  for (const row of rows) {
    const names = Object.keys(row.metrics);
    if (names.length === 0) {
      failed.push(row);
      continue;
    }
    const key = names.join(',');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const [first, ...rest] = [...groups.values()];
  return first ? [[...first, ...failed], ...rest] : [failed];
}

function rowsTable(rows: ScenarioResult['rows']): string {
  const metricNames = [...new Set(rows.flatMap((row) => Object.keys(row.metrics)))];
  return table(['server', 'case', ...metricNames, 'error'], rows.map((row) => [row.server, row.case, ...metricNames.map((name) => row.metrics[name]), row.error ?? '']));
}

function scenarioSection(result: ScenarioResult): string {
  const parts = [`## ${result.title}`, ''];
  if (result.rows.length === 0) parts.push('No server in this run applies.');
  else parts.push(rowGroups(result.rows).map(rowsTable).join('\n\n'));
  const ratios = quireRatios(result);
  if (ratios.length > 0) {
    parts.push('', 'Quire / peer (below 1: Quire is lower, i.e. better):', '');
    parts.push(table(['case', 'metric', 'peer', 'Quire', 'peer value', 'ratio'], ratios.map((entry) => [entry.case, entry.metric, entry.peer, entry.quire, entry.peerValue, entry.ratio])));
  }
  const scaled = baselineRatios(result);
  if (scaled.length > 0) {
    parts.push('', 'Relative to the baseline case (value / baseline value):', '');
    parts.push(table(['server', 'case', 'baseline', 'metric', 'value', 'baseline value', 'ratio'], scaled.map((entry) => [entry.server, entry.case, entry.baseline, entry.metric, entry.value, entry.baselineValue, entry.ratio])));
  }
  if (result.notes.length > 0) parts.push('', ...result.notes.map((note) => `- ${note}`));
  parts.push('', `_Scenario time: ${Math.round(result.durationMs / 1000)} s._`, '');
  return parts.join('\n');
}

/** Renders the whole run as Markdown. */
export function renderMarkdown(summary: RunSummary, chartFile: string | null): string {
  const header = [
    `# Quire benchmark results (${summary.mode})`,
    '',
    `- Date: ${summary.date}`,
    `- Machine: ${summary.machine.cpus} CPUs (${summary.machine.cpuModel}), ${summary.machine.memoryGiB} GiB RAM, ${summary.machine.platform}`,
    `- Runtimes: Bun ${summary.machine.bun}, Node ${summary.machine.node}`,
    `- Servers: ${summary.servers.map((server) => `${server.name} = ${server.label}`).join('; ')}`,
    `- Reproduce: \`${summary.command}\``,
    '- Load generator: separate Bun processes on 127.0.0.1; latency measured within one process. Median and p99 are nearest-rank.',
    `- Quire settings changed for the benchmark: ${Object.entries(QUIRE_BENCH_SETTINGS).map(([name, value]) => `${name}=${value}`).join(', ')}`,
    '',
  ];
  if (chartFile) header.push(`![Fan-out latency vs clients](${chartFile})`, '');
  return [...header, ...summary.results.map(scenarioSection), '---', '', TRACE_ATTRIBUTION, ''].join('\n');
}
