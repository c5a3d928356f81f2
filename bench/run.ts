/**
 * `npm run bench`: Quire side by side with Hocuspocus, the y-websocket reference server and a
 * raw relay floor. Prints a table and writes JSON, Markdown and an SVG chart to bench/results.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseRunOptions, USAGE } from './cli.ts';
import { killAllChildren } from './lib/process-registry.ts';
import { planFor } from './plan.ts';
import { renderMarkdown } from './report/markdown.ts';
import { buildRunSummary } from './report/run-summary.ts';
import { runScenarios } from './runner.ts';
import { runSoak, type SoakResult } from './soak.ts';

/**
 * The chart renderer lives with the bench-only packages (bench/peers, installed by `npm run
 * bench`); imported by a computed path so the type-check of a plain `npm install` never needs Vega.
 */
const FANOUT_CHART_MODULE = new URL('./peers/fanout-chart.ts', import.meta.url).href;
type RenderFanoutChart = (results: Awaited<ReturnType<typeof runScenarios>>, subtitle: string) => Promise<string | null>;

/** The soak's outcome as a Markdown section. */
function soakMarkdown(soak: SoakResult): string {
  return [
    '',
    '## Crash soak',
    '',
    `${soak.rounds.length} SIGKILLs while 3 stock clients typed (${(soak.durationMs / 1000).toFixed(0)} s): ` +
      `${soak.typed} paragraphs typed, ${soak.acknowledged} seen by another client before a crash, ` +
      `${soak.finalStored} stored at the end; lost ${soak.lost}, duplicated ${soak.duplicated}, corrupt ${soak.corrupt}. ` +
      `Reproduce alone with \`bun bench/soak.ts --kills 25\`.`,
    '',
  ].join('\n');
}

async function nodeVersion(): Promise<string> {
  const child = Bun.spawn(['node', '--version'], { stdout: 'pipe', stderr: 'ignore' });
  return (await new Response(child.stdout).text()).trim() || 'unknown';
}

async function main(): Promise<void> {
  const options = parseRunOptions(process.argv.slice(2));
  if (options === 'help') return console.log(USAGE);
  const plan = planFor(options.mode);
  const started = performance.now();
  const log = (message: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);
  const results = await runScenarios({
    plan,
    scenarios: options.scenarios,
    servers: options.servers,
    scenarioTimeoutMs: options.scenarioTimeoutMs ?? plan.scenarioTimeoutMs,
    log,
  });
  const argv = process.argv.slice(2);
  const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
  const summary = buildRunSummary(options.mode, command, options.servers, results, await nodeVersion());
  const base = options.mode === 'full' ? 'latest' : options.mode;
  mkdirSync(options.outDir, { recursive: true });
  const { renderFanoutChart } = (await import(FANOUT_CHART_MODULE)) as { renderFanoutChart: RenderFanoutChart };
  const chart = await renderFanoutChart(results, `${summary.machine.cpus} CPUs, ${summary.date.slice(0, 10)}, ${options.mode} mode`);
  const chartFile = chart ? `${base}-fanout-latency.svg` : null;
  if (chart && chartFile) writeFileSync(path.join(options.outDir, chartFile), chart);
  // The full run ends with the crash soak (>= 20 SIGKILLs while clients type); quick runs skip it.
  const soak = options.mode === 'full' ? await runSoak({ kills: 20, clients: 3, log }) : null;
  const markdown = renderMarkdown(summary, chartFile) + (soak ? soakMarkdown(soak) : '');
  writeFileSync(path.join(options.outDir, `${base}.json`), `${JSON.stringify({ ...summary, soak }, null, 2)}\n`);
  writeFileSync(path.join(options.outDir, `${base}.md`), markdown);
  console.log(markdown);
  if (soak && !soak.ok) process.exitCode = 1;
  log(`done; results in ${path.relative(process.cwd(), options.outDir)}/${base}.{md,json}`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  killAllChildren();
}
