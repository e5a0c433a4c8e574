/** Sums of Prometheus histograms and counters, keyed by metric name and labels. */
export type MetricSums = Map<string, number>;

/** Reads a `/metrics` page into its samples (name with labels → value). */
export async function scrapeMetrics(url: string): Promise<MetricSums> {
  const text = await (await fetch(url)).text();
  const sums: MetricSums = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    sums.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return sums;
}

/** What grew between two scrapes, for samples whose name starts with `prefix`. */
export function grownSince(before: MetricSums, after: MetricSums, prefix: string): MetricSums {
  const grown: MetricSums = new Map();
  for (const [key, value] of after) {
    if (!key.startsWith(prefix)) continue;
    const delta = value - (before.get(key) ?? 0);
    if (delta > 0) grown.set(key, delta);
  }
  return grown;
}

/** The value of one label in a sample key such as `name{a="x",b="y"}`. */
export function labelOf(key: string, label: string): string | undefined {
  return new RegExp(`[{,]${label}="([^"]*)"`).exec(key)?.[1];
}
