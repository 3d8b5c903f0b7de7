/** One proxy's figures from one benchmark run. */
export interface TargetResult {
  name: string;
  smallRps10: number;
  /** The issue's own condition: wrk at 32 connections. */
  smallRps32: number;
  smallRps50: number;
  p50Ms: number;
  p99Ms: number;
  wsRoundTrips: number;
  /** CPU time of the forwarding process per request (50 connections) and per WebSocket round trip, µs. */
  cpuUsPerRequest: number;
  cpuUsPerRoundTrip: number;
  largeMBps: number;
  idleRssMB: number | null;
  peakRssMB: number | null;
}

const fmt = (n: number | null, digits = 0): string => (n === null ? '–' : n.toFixed(digits));

function ratio(value: number, base: number | undefined): string {
  return base === undefined || base === 0 ? '' : ` (${(value / base).toFixed(2)}×)`;
}

/** For costs (lower is better): how many times cheaper than the baseline. */
function cheaper(value: number, base: number | undefined): string {
  return base === undefined || value === 0 ? '' : ` (${(base / value).toFixed(2)}× less)`;
}

/** The results table in markdown; ratios are against the target named `baseline` (CHP). */
export function markdownTable(runs: readonly TargetResult[][], baseline: string, runLabel = (i: number): string => String(i + 1)): string {
  const lines = [
    '| run | target | HTTP small req/s, 10 conn | HTTP small req/s, 32 conn | HTTP small req/s, 50 conn | latency p50 / p99 ms, 1 conn | WS round trips/s, 50 conn | large body MB/s, 4 conn | RSS idle / peak MB | CPU µs per request | CPU µs per WS round trip |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  runs.forEach((results, i) => {
    const base = results.find((r) => r.name === baseline);
    for (const r of results) {
      lines.push(
        `| ${runLabel(i)} | ${r.name} | ${fmt(r.smallRps10)}${ratio(r.smallRps10, base?.smallRps10)} | ${fmt(r.smallRps32)}${ratio(r.smallRps32, base?.smallRps32)} | ${fmt(r.smallRps50)}${ratio(r.smallRps50, base?.smallRps50)} | ` +
          `${fmt(r.p50Ms, 3)} / ${fmt(r.p99Ms, 3)} | ${fmt(r.wsRoundTrips)}${ratio(r.wsRoundTrips, base?.wsRoundTrips)} | ` +
          `${fmt(r.largeMBps)}${ratio(r.largeMBps, base?.largeMBps)} | ${fmt(r.idleRssMB, 1)} / ${fmt(r.peakRssMB, 1)} | ` +
          `${fmt(r.cpuUsPerRequest)}${r.name === 'direct' || r === base ? '' : cheaper(r.cpuUsPerRequest, base?.cpuUsPerRequest)} | ` +
          `${fmt(r.cpuUsPerRoundTrip)}${r.name === 'direct' || r === base ? '' : cheaper(r.cpuUsPerRoundTrip, base?.cpuUsPerRoundTrip)} |`,
      );
    }
  });
  return lines.join('\n');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Each target's median of every figure over the runs (for the chart): on a shared machine a single
 * run can catch a burst of someone else's work, and the median shows the typical run.
 */
export function medianResults(runs: readonly TargetResult[][]): TargetResult[] {
  const names = runs[0]?.map((r) => r.name) ?? [];
  return names.map((name) => {
    const rows = runs.map((results) => results.find((r) => r.name === name)).filter((r): r is TargetResult => r !== undefined);
    const of = (pick: (r: TargetResult) => number): number => median(rows.map(pick));
    const ofNullable = (pick: (r: TargetResult) => number | null): number | null =>
      rows.some((r) => pick(r) === null) ? null : median(rows.map((r) => pick(r) ?? 0));
    return {
      name,
      smallRps10: of((r) => r.smallRps10),
      smallRps32: of((r) => r.smallRps32),
      smallRps50: of((r) => r.smallRps50),
      p50Ms: of((r) => r.p50Ms),
      p99Ms: of((r) => r.p99Ms),
      wsRoundTrips: of((r) => r.wsRoundTrips),
      largeMBps: of((r) => r.largeMBps),
      idleRssMB: ofNullable((r) => r.idleRssMB),
      peakRssMB: ofNullable((r) => r.peakRssMB),
      cpuUsPerRequest: of((r) => r.cpuUsPerRequest),
      cpuUsPerRoundTrip: of((r) => r.cpuUsPerRoundTrip),
    };
  });
}

const colors = ['#888888', '#d9822b', '#2b6cd9', '#2bb673'];

/** A grouped bar chart (one group per metric, one bar per target), values relative to the baseline. */
export function svgChart(results: readonly TargetResult[], baseline: string): string {
  const metrics: { label: string; value: (r: TargetResult) => number }[] = [
    { label: 'HTTP req/s (10 conn)', value: (r) => r.smallRps10 },
    { label: 'HTTP req/s (32 conn)', value: (r) => r.smallRps32 },
    { label: 'HTTP req/s (50 conn)', value: (r) => r.smallRps50 },
    { label: 'WS round trips/s', value: (r) => r.wsRoundTrips },
    { label: 'Large body MB/s', value: (r) => r.largeMBps },
    // A cost, so inverted: a proxy using half CHP's CPU per request shows 2.0.
    { label: 'Requests per CPU second', value: (r) => (r.cpuUsPerRequest > 0 ? 1e6 / r.cpuUsPerRequest : 0) },
  ];
  const base = results.find((r) => r.name === baseline);
  const width = 900;
  const height = 340;
  const left = 50;
  const top = 40;
  const plotHeight = 220;
  const groupWidth = (width - left - 20) / metrics.length;
  const barWidth = (groupWidth - 30) / results.length;
  const relative = (m: (typeof metrics)[number], r: TargetResult) => {
    const b = base === undefined ? 0 : m.value(base);
    return b === 0 ? 0 : m.value(r) / b;
  };
  const max = Math.max(1, ...metrics.flatMap((m) => results.map((r) => relative(m, r))));
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14">Relative to ${baseline} (1.0 = ${baseline}), median of the runs; higher is better</text>`,
    `<line x1="${left}" y1="${y(1)}" x2="${width - 10}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    `<text x="${left - 8}" y="${y(1) + 4}" text-anchor="end">1.0</text>`,
    `<text x="${left - 8}" y="${y(max) + 4}" text-anchor="end">${max.toFixed(1)}</text>`,
  ];
  metrics.forEach((m, g) => {
    const x0 = left + g * groupWidth + 15;
    results.forEach((r, i) => {
      const v = relative(m, r);
      const x = x0 + i * barWidth;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${(top + plotHeight - y(v)).toFixed(1)}" fill="${colors[i % colors.length]}"/>`);
      parts.push(`<text x="${(x + (barWidth - 4) / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${v.toFixed(2)}</text>`);
    });
    parts.push(`<text x="${(x0 + (groupWidth - 30) / 2).toFixed(1)}" y="${top + plotHeight + 18}" text-anchor="middle">${m.label}</text>`);
  });
  results.forEach((r, i) => {
    const x = left + i * 170;
    parts.push(`<rect x="${x}" y="${height - 30}" width="12" height="12" fill="${colors[i % colors.length]}"/>`);
    parts.push(`<text x="${x + 18}" y="${height - 20}">${r.name}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
