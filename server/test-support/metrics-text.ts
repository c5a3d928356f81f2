/** Reads samples out of Prometheus text exposition, for tests that scrape `/metrics`. */

/** Every sample of metric `name` whose labels include `labels`, in order. */
export function metricValues(text: string, name: string, labels: Record<string, string> = {}): number[] {
  const values: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) values.push(Number(match[3]));
  }
  return values;
}

/** The sum of the matching samples (0 when there is none: a counter not yet incremented). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  return metricValues(text, name, labels).reduce((sum, value) => sum + value, 0);
}
