// A generated package set for the release benchmark: 250 projects forming a dependency DAG with
// version ranges, markers that differ per target, extras and some platform-specific wheels.
import type { WheelSpec } from '../../test/helpers/wheel-builder.js';

/** Small deterministic PRNG (mulberry32), so every run benchmarks the same set. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length] as number;
}

/** Pronounceable names far apart from each other, so the vetting name checks do not flag them. */
function names(count: number, next: () => number): string[] {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  const out: string[] = [];
  while (out.length < count) {
    const syllables = 3 + Math.floor(next() * 2);
    let name = '';
    for (let s = 0; s < syllables; s++) name += (consonants[Math.floor(next() * consonants.length)] ?? 'b') + (vowels[Math.floor(next() * vowels.length)] ?? 'a');
    if (out.every((other) => distance(other, name) >= 4)) out.push(name);
  }
  return out;
}

export interface PackageSet {
  wheels: WheelSpec[];
  topLevel: string[];
  projects: number;
}

/** Generates `count` projects (1–3 versions each, about 2 dependencies per project). */
export function generatePackageSet(count: number, seed = 7): PackageSet {
  const next = random(seed);
  const projects = names(count, next);
  const wheels: WheelSpec[] = [];
  const required = new Set<number>();
  projects.forEach((name, i) => {
    const versions = ['1.0', '1.1', '2.0'].slice(0, 1 + Math.floor(next() * 3));
    const platformSpecific = next() < 0.1;
    // One dependency list per project (all its versions), so the set the top level reaches is fixed.
    const requires: string[] = [];
    const later = count - i - 1;
    const deps = later === 0 ? 0 : Math.floor(next() * 5);
    for (let d = 0; d < deps; d++) {
      const j = i + 1 + Math.floor(next() * Math.min(later, 40));
      required.add(j);
      const dep = projects[j] as string;
      const roll = next();
      // Every project has 1.0, so each range below can be met; markers make targets differ.
      if (roll < 0.6) requires.push(`${dep}>=1.0`);
      else if (roll < 0.75) requires.push(`${dep}<2`);
      else if (roll < 0.85) requires.push(`${dep}; platform_machine == "s390x"`);
      else if (roll < 0.92) requires.push(`${dep}>=1.0; python_version >= "3.12"`);
      else requires.push(`${dep}; extra == "fast"`);
    }
    // Some 2.0 releases tighten a dependency to >=1.1, which not every dependency has: the
    // resolver must then fall back to this project's 1.1 (backtracking), as pip must.
    const first = requires.find((r) => r.endsWith('>=1.0'));
    const tightened = first !== undefined && next() < 0.3 ? [...requires.filter((r) => r !== first), first.replace('>=1.0', '>=1.1')] : requires;
    for (const version of versions) {
      const base = { name, version, requiresDist: version === '2.0' ? tightened : requires, requiresPython: '>=3.9' };
      if (!platformSpecific) wheels.push(base);
      else for (const tag of ['cp311-cp311-manylinux_2_17_x86_64', 'cp312-cp312-manylinux_2_17_x86_64', 'cp312-cp312-manylinux_2_17_s390x']) wheels.push({ ...base, tag });
    }
  });
  // Roots (nothing requires them) are the top level, with a few extras requests; projects only
  // reachable through an extra nobody requests join the top level too, so the release has them all.
  const roots = projects.filter((_, i) => !required.has(i));
  const reached = new Set<string>();
  const edges = new Map<string, string[]>();
  for (const wheel of wheels) {
    const targets = (wheel.requiresDist ?? []).filter((r) => !r.includes('extra ==')).map((r) => /^[a-z]+/.exec(r)?.[0] ?? '');
    edges.set(wheel.name, [...(edges.get(wheel.name) ?? []), ...targets]);
  }
  const visit = (name: string): void => {
    if (reached.has(name)) return;
    reached.add(name);
    for (const next of edges.get(name) ?? []) visit(next);
  };
  roots.forEach(visit);
  const orphans = projects.filter((name) => !reached.has(name));
  orphans.forEach(visit);
  const topLevel = [...roots.map((name, k) => (k % 5 === 0 ? `${name}[fast]` : name)), ...orphans];
  return { wheels, topLevel, projects: count };
}
