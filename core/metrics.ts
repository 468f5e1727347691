type Labels = Record<string, string>;

interface HistogramValue {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

interface Counter {
  help: string;
  values: Map<string, { labels: Labels; value: number }>;
  /** The series that exist at 0 before their first increase, read at each scrape. */
  known?: SeriesRead;
}

/** The label sets a counter has now (say, one per channel), read when metrics are scraped. */
export type SeriesRead = () => Promise<Labels[]>;

/** A gauge's samples, read when metrics are scraped. */
export type GaugeRead = () => Promise<Array<{ labels: Labels; value: number }>>;

/** Buckets (seconds) for the time a web request takes: 5 ms to 10 s. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * In-process counters, histograms and gauges, rendered in the Prometheus text
 * format. A family declared with `counter` or `histogram` is rendered (HELP and
 * TYPE, and its known series at 0) before anything is counted in it, so a fresh
 * process shows every family. Gauges are read at scrape time through callbacks.
 */
export class Metrics {
  private counters = new Map<string, Counter>();
  private histograms = new Map<
    string,
    { help: string; buckets: number[]; values: Map<string, HistogramValue> }
  >();
  private gauges = new Map<string, { help: string; read: GaugeRead }>();

  /**
   * Declares the counter `name`, with each of `series` at 0 (an unlabelled
   * counter: `[{}]`); given a read, with the series it names at each scrape.
   */
  counter(name: string, help: string, series: Labels[] | SeriesRead = [{}]): void {
    const counter = this.#counter(name, help);
    if (typeof series === "function") {
      counter.known = series;
      return;
    }
    for (const labels of series) {
      const key = seriesKey(labels);
      if (!counter.values.has(key)) counter.values.set(key, { labels, value: 0 });
    }
  }

  /** Declares the histogram `name` with `buckets` (upper bounds, ascending). */
  histogram(name: string, help: string, buckets: number[]): void {
    this.#histogram(name, help, buckets);
  }

  /** Adds `by` to the counter `name` with `labels`. */
  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const counter = this.#counter(name, help);
    const key = seriesKey(labels);
    const entry = counter.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    counter.values.set(key, entry);
  }

  /** Records one observation (e.g. seconds) in the histogram `name`. */
  observe(name: string, help: string, labels: Labels, value: number, buckets: number[]): void {
    const histogram = this.#histogram(name, help, buckets);
    const key = seriesKey(labels);
    let entry = histogram.values.get(key);
    if (!entry) {
      entry = { labels, counts: histogram.buckets.map(() => 0), sum: 0, count: 0 };
      histogram.values.set(key, entry);
    }
    histogram.buckets.forEach((le, i) => {
      if (value <= le) entry.counts[i]++;
    });
    entry.sum += value;
    entry.count++;
  }

  /** Registers a gauge whose values are read when metrics are scraped. */
  gauge(name: string, help: string, read: GaugeRead): void {
    this.gauges.set(name, { help, read });
  }

  /** The current value of a counter; for tests and reports. */
  value(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.values.get(seriesKey(labels))?.value ?? 0;
  }

  /** All metrics in the Prometheus text exposition format (0.0.4). */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, counter] of this.counters) {
      if (counter.known) this.counter(name, counter.help, await counter.known());
    }
    const family = (name: string, help: string, type: string) =>
      lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const [name, counter] of this.counters) {
      family(name, counter.help, "counter");
      for (const { labels, value } of counter.values.values()) {
        lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
      }
    }
    for (const [name, histogram] of this.histograms) {
      family(name, histogram.help, "histogram");
      for (const { labels, counts, sum, count } of histogram.values.values()) {
        histogram.buckets.forEach((le, i) => {
          lines.push(`${name}_bucket${formatLabels({ ...labels, le: String(le) })} ${counts[i]}`);
        });
        lines.push(`${name}_bucket${formatLabels({ ...labels, le: "+Inf" })} ${count}`);
        lines.push(`${name}_sum${formatLabels(labels)} ${formatValue(sum)}`);
        lines.push(`${name}_count${formatLabels(labels)} ${count}`);
      }
    }
    const read = await Promise.all([...this.gauges.values()].map((g) => g.read()));
    [...this.gauges].forEach(([name, gauge], i) => {
      family(name, gauge.help, "gauge");
      for (const { labels, value } of read[i]) {
        lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
      }
    });
    return lines.join("\n") + "\n";
  }

  #counter(name: string, help: string): Counter {
    let counter = this.counters.get(name);
    if (!counter) {
      counter = { help, values: new Map() };
      this.counters.set(name, counter);
    }
    return counter;
  }

  #histogram(name: string, help: string, buckets: number[]) {
    let histogram = this.histograms.get(name);
    if (!histogram) {
      histogram = { help, buckets, values: new Map() };
      this.histograms.set(name, histogram);
    }
    return histogram;
  }
}

/** The same series whatever order its labels were given in. */
function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

function escapeHelp(help: string): string {
  return help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) =>
    `${k}="${v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"')}"`
  );
  return parts.length ? `{${parts.join(",")}}` : "";
}
