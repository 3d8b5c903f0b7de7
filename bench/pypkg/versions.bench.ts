// Micro-benchmark: version parsing/comparison and specifier checks per second.
// Run: node --import tsx bench/pypkg/versions.bench.ts
import { compareVersions, parseSpecifierSet, parseVersion, type Version } from "../../src/pypkg/index.js";

const VERSIONS = [
  "1.0", "1.0.post1", "2.3.3.post0", "1!2.0", "1.0a1", "1.0rc2.dev3", "0.9.1+ubuntu.1", "3.12.10",
  "2024.8.30", "1.26.18", "2.0.7", "65.5.1", "10.0.1", "4.2.1", "1.82.7", "0.6c11",
];
const SPECS = [">=1.0,<2", "~=3.10", "==2.*", "!=1.3.*,>=1.0", ">1.0a1", "<=65.5.0", "===1.0", ""];

function measure(label: string, iterations: number, body: (i: number) => void): void {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) body(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(44)} ${Math.round(iterations / seconds).toLocaleString("en-US").padStart(14)} ops/s`);
}

const parsed: Version[] = VERSIONS.map((v) => parseVersion(v));
const sets = SPECS.map((s) => parseSpecifierSet(s));
const n = VERSIONS.length;
let sink = 0;

measure("parseVersion", 500_000, (i) => {
  sink += parseVersion(VERSIONS[i % n] as string).release.length;
});
measure("Version.compare (parsed)", 5_000_000, (i) => {
  sink += (parsed[i % n] as Version).compare(parsed[(i * 7 + 3) % n] as Version);
});
measure("compareVersions (strings, parse each time)", 500_000, (i) => {
  sink += compareVersions(VERSIONS[i % n] as string, VERSIONS[(i * 7 + 3) % n] as string);
});
measure("SpecifierSet.contains (parsed version)", 2_000_000, (i) => {
  sink += sets[i % sets.length]!.contains(parsed[(i * 5) % n] as Version) ? 1 : 0;
});
measure("SpecifierSet.contains (string version)", 500_000, (i) => {
  sink += sets[i % sets.length]!.contains(VERSIONS[(i * 5) % n] as string, { prereleases: true }) ? 1 : 0;
});
measure("parseSpecifierSet", 300_000, (i) => {
  sink += parseSpecifierSet(SPECS[i % SPECS.length] as string).size;
});
console.log(`(checksum ${sink})`);
