/** Command-line options of `npm run bench` (bun bench/run.ts). */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { SCENARIO_IDS, type ScenarioId } from './scenarios/types.ts';
import { isTargetName, TARGET_NAMES, type TargetName } from './servers/targets.ts';

/** Parsed options. */
export interface RunOptions {
  mode: 'full' | 'quick' | 'smoke';
  scenarios: ScenarioId[];
  servers: TargetName[];
  /** Per-scenario time bound override, in milliseconds. */
  scenarioTimeoutMs: number | null;
  outDir: string;
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick                 small sizes, about 2-3 minutes
  --scenarios a,b         any of ${SCENARIO_IDS.join(', ')} (default: all)
  --servers a,b           any of ${TARGET_NAMES.join(', ')} (default: quire, hocuspocus, y-websocket, relay;
                          cold-load uses hocuspocus-sqlite in place of hocuspocus)
  --timeout-seconds N     bound on each scenario (default: by mode; the fan-out's times its rounds)
  --out DIR               where results go (default: bench/results)
  --help`;

/** Default servers: Quire and the three peers the issue names. */
export const DEFAULT_SERVERS: TargetName[] = ['quire', 'hocuspocus', 'y-websocket', 'relay'];

function list<T extends string>(raw: string | undefined, valid: (value: string) => value is T, what: string): T[] | null {
  if (raw === undefined) return null;
  const values = raw.split(',').map((value) => value.trim()).filter(Boolean);
  for (const value of values) if (!valid(value)) throw new Error(`unknown ${what} "${value}"\n${USAGE}`);
  return values as T[];
}

const isScenarioId = (value: string): value is ScenarioId => (SCENARIO_IDS as readonly string[]).includes(value);

/** Parses argv (without the runtime and script). Throws with the usage text on a bad option. */
export function parseRunOptions(argv: string[]): RunOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      smoke: { type: 'boolean' },
      scenarios: { type: 'string' },
      servers: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const timeout = values['timeout-seconds'];
  if (timeout !== undefined && !(Number(timeout) > 0)) throw new Error(`--timeout-seconds must be a positive number\n${USAGE}`);
  return {
    mode: values.smoke ? 'smoke' : values.quick ? 'quick' : 'full',
    scenarios: list(values.scenarios, isScenarioId, 'scenario') ?? [...SCENARIO_IDS],
    servers: list(values.servers, isTargetName, 'server') ?? DEFAULT_SERVERS,
    scenarioTimeoutMs: timeout === undefined ? null : Number(timeout) * 1000,
    outDir: path.resolve(values.out ?? path.join(import.meta.dir, 'results')),
  };
}
