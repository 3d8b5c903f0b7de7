/**
 * Counters of the standalone proxy in Prometheus' text format, named as configurable-http-proxy
 * names them so existing dashboards keep working. Plain integers: incrementing one costs nothing
 * on the hot path, unlike a metrics library's label lookups.
 */
export interface ProxyMetrics {
  web(): void;
  ws(): void;
  /** A request the proxy answered itself with an error status (404 no route, 503 backend down, ...). */
  proxyError(status: number): void;
  api(status: number): void;
  routeGet(): void;
  routeAdd(): void;
  routeDelete(): void;
  /** The exposition text; `gauges` adds current values such as the route count. */
  render(gauges: Readonly<Record<string, number>>): string;
}

function labelled(name: string, help: string, counts: ReadonlyMap<number, number>): string[] {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
  for (const [status, count] of counts) lines.push(`${name}{status="${status}"} ${count}`);
  return lines;
}

function counter(name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`];
}

export function createProxyMetrics(): ProxyMetrics {
  const c = { web: 0, ws: 0, get: 0, add: 0, del: 0 };
  const errors = new Map<number, number>();
  const api = new Map<number, number>();
  const bump = (map: Map<number, number>, status: number): void => {
    map.set(status, (map.get(status) ?? 0) + 1);
  };
  return {
    web: () => void c.web++,
    ws: () => void c.ws++,
    proxyError: (status) => bump(errors, status),
    api: (status) => bump(api, status),
    routeGet: () => void c.get++,
    routeAdd: () => void c.add++,
    routeDelete: () => void c.del++,
    render(gauges) {
      const memory = process.memoryUsage();
      const lines = [
        ...counter('requests_web', 'Count of web requests', c.web),
        ...counter('requests_ws', 'Count of websocket requests', c.ws),
        ...labelled('requests_proxy', 'Count of requests the proxy answered with an error, by status', errors),
        ...labelled('requests_api', 'Count of API requests, by status', api),
        ...counter('api_route_get', 'Count of API requests to get routes', c.get),
        ...counter('api_route_add', 'Count of API requests to add a route', c.add),
        ...counter('api_route_delete', 'Count of API requests to delete a route', c.del),
        '# HELP process_resident_memory_bytes Resident memory size in bytes.',
        '# TYPE process_resident_memory_bytes gauge',
        `process_resident_memory_bytes ${memory.rss}`,
        '# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.',
        '# TYPE nodejs_heap_size_used_bytes gauge',
        `nodejs_heap_size_used_bytes ${memory.heapUsed}`,
      ];
      for (const [name, value] of Object.entries(gauges)) lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
