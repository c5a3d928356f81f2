/** Order statistics for latency samples: median and p99 are what every scenario reports. */

/** Summary of a set of samples in milliseconds; null fields when there were no samples. */
export interface LatencySummary {
  count: number;
  median: number | null;
  p99: number | null;
  max: number | null;
}

/** The q-quantile (0..1) of already sorted values, by the nearest-rank method. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** Median, p99 and max of the samples (the input is not modified). */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    median: round(quantileOfSorted(sorted, 0.5)),
    p99: round(quantileOfSorted(sorted, 0.99)),
    max: round(sorted.length ? (sorted[sorted.length - 1] ?? null) : null),
  };
}

/** Rounds to three decimals so results stay readable; keeps null. */
export function round(value: number | null, digits = 3): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A ratio `value / reference`, or null when either is missing or the reference is zero. */
export function ratio(value: number | null | undefined, reference: number | null | undefined): number | null {
  if (value == null || reference == null || reference === 0) return null;
  return round(value / reference, 2);
}

/** Concatenates sample arrays coming back from several load-generator processes. */
export function mergeSamples(parts: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const merged = new Float64Array(total);
  let offset = 0;
  for (const part of parts) {
    merged.set(part, offset);
    offset += part.length;
  }
  return merged;
}
