/** A Prometheus histogram with one label, rendered in the text exposition format. */
export class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly label: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labelValue: string, value: number): void {
    const entry = this.series.get(labelValue) ?? { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, index) => {
      if (value <= bound) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    });
    entry.sum += value;
    entry.count += 1;
    this.series.set(labelValue, entry);
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [value, entry] of this.series) {
      const label = `${this.label}="${value}"`;
      this.buckets.forEach((bound, index) => lines.push(`${this.name}_bucket{${label},le="${bound}"} ${entry.counts[index] ?? 0}`));
      lines.push(`${this.name}_bucket{${label},le="+Inf"} ${entry.count}`, `${this.name}_sum{${label}} ${entry.sum}`, `${this.name}_count{${label}} ${entry.count}`);
    }
    return lines;
  }
}
