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
}

/**
 * In-process counters and gauges, rendered in the Prometheus text format.
 * Gauges are read at scrape time through callbacks.
 */
export class Metrics {
  private counters = new Map<string, Counter>();
  private histograms = new Map<
    string,
    { help: string; buckets: number[]; values: Map<string, HistogramValue> }
  >();
  private gauges = new Map<
    string,
    {
      help: string;
      read: () => Promise<Array<{ labels: Labels; value: number }>>;
    }
  >();

  /** Adds `by` to the counter `name` with `labels`. */
  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    let counter = this.counters.get(name);
    if (!counter) {
      counter = { help, values: new Map() };
      this.counters.set(name, counter);
    }
    const key = JSON.stringify(labels);
    const entry = counter.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    counter.values.set(key, entry);
  }

  /** Records one observation (e.g. seconds) in the histogram `name`. */
  observe(name: string, help: string, labels: Labels, value: number, buckets: number[]): void {
    let histogram = this.histograms.get(name);
    if (!histogram) {
      histogram = { help, buckets, values: new Map() };
      this.histograms.set(name, histogram);
    }
    const key = JSON.stringify(labels);
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
  gauge(
    name: string,
    help: string,
    read: () => Promise<Array<{ labels: Labels; value: number }>>,
  ): void {
    this.gauges.set(name, { help, read });
  }

  /** The current value of a counter; for tests and reports. */
  value(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.values.get(JSON.stringify(labels))?.value ??
      0;
  }

  /** All metrics in the Prometheus text exposition format. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      for (const { labels, value } of counter.values.values()) {
        lines.push(`${name}${formatLabels(labels)} ${value}`);
      }
    }
    for (const [name, histogram] of this.histograms) {
      lines.push(`# HELP ${name} ${histogram.help}`, `# TYPE ${name} histogram`);
      for (const { labels, counts, sum, count } of histogram.values.values()) {
        histogram.buckets.forEach((le, i) => {
          lines.push(`${name}_bucket${formatLabels({ ...labels, le: String(le) })} ${counts[i]}`);
        });
        lines.push(`${name}_bucket${formatLabels({ ...labels, le: "+Inf" })} ${count}`);
        lines.push(`${name}_sum${formatLabels(labels)} ${sum}`);
        lines.push(`${name}_count${formatLabels(labels)} ${count}`);
      }
    }
    for (const [name, gauge] of this.gauges) {
      lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`);
      for (const { labels, value } of await gauge.read()) {
        lines.push(`${name}${formatLabels(labels)} ${value}`);
      }
    }
    return lines.join("\n") + "\n";
  }
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) =>
    `${k}="${v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"')}"`
  );
  return parts.length ? `{${parts.join(",")}}` : "";
}
