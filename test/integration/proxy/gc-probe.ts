// Test instrumentation, loaded with `--expose-gc --import` into a proxy process under test: on
// SIGUSR2 it collects garbage and reports the live heap on stderr, so a soak test can tell a leak
// from memory the collector has simply not reclaimed yet.
process.on('SIGUSR2', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const usage = process.memoryUsage();
  process.stderr.write(`gc-probe heapUsed=${usage.heapUsed} rss=${usage.rss}\n`);
});
