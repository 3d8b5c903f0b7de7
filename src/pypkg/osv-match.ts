import { normalizeName } from "./name.js";
import { tryParseVersion } from "./parse-version.js";
import type { Version } from "./version.js";

/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that the
 * matcher reads. Records are passed already parsed (JSON or YAML).
 *
 * @example
 * ```ts
 * const record: OsvRecord = { id: "MAL-2026-2144", affected: [{ package: { ecosystem: "PyPI", name: "litellm" }, versions: ["1.82.7"] }] };
 * ```
 */
export interface OsvRecord {
  id?: string;
  withdrawn?: string | null;
  affected?: readonly OsvAffected[] | null;
}

/**
 * One `affected[]` entry of an OSV record.
 *
 * @example
 * ```ts
 * const a: OsvAffected = { package: { ecosystem: "PyPI", name: "jinja2" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.11.3" }] }] };
 * ```
 */
export interface OsvAffected {
  package?: { ecosystem?: string; name?: string } | null;
  ranges?: readonly { type?: string; events?: readonly OsvEvent[] | null }[] | null;
  versions?: readonly string[] | null;
}

/**
 * One range event: exactly one of its keys is set.
 *
 * @example
 * ```ts
 * const e: OsvEvent = { last_affected: "1.11.0" };
 * ```
 */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

type Kind = "introduced" | "fixed" | "last_affected" | "limit";
const ORDER: Readonly<Record<Kind, number>> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

interface SortedEvent {
  kind: Kind;
  version: Version | null; // null = introduced "0" (before everything)
}

function sortedEvents(events: readonly OsvEvent[]): SortedEvent[] {
  const out: SortedEvent[] = [];
  for (const event of events) {
    for (const kind of Object.keys(ORDER) as Kind[]) {
      const text = event[kind];
      if (typeof text !== "string") continue;
      if (kind === "introduced" && text === "0") out.push({ kind, version: null });
      else {
        const version = tryParseVersion(text);
        if (version !== null) out.push({ kind, version }); // non-PEP 440 events are skipped
      }
    }
  }
  return out.sort((a, b) => {
    if (a.version === null || b.version === null) return a.version === b.version ? 0 : a.version === null ? -1 : 1;
    return a.version.compare(b.version) || ORDER[a.kind] - ORDER[b.kind];
  });
}

function inRange(v: Version, events: readonly OsvEvent[]): boolean {
  let vulnerable = false;
  for (const event of sortedEvents(events)) {
    const at = event.version;
    if (event.kind === "introduced") {
      if (at === null || v.compare(at) >= 0) vulnerable = true;
    } else if (at === null) {
      continue;
    } else if (event.kind === "fixed" || event.kind === "limit") {
      if (v.compare(at) >= 0) vulnerable = false;
    } else if (v.compare(at) > 0) {
      vulnerable = false;
    }
  }
  return vulnerable;
}

function listed(version: string, parsed: Version | null, versions: readonly string[]): boolean {
  return versions.some((entry) => {
    if (entry === version) return true;
    const other = parsed === null ? null : tryParseVersion(entry);
    return parsed !== null && other !== null && parsed.compare(other) === 0;
  });
}

/**
 * Whether a version is affected by an OSV record: it is in an `affected`
 * entry's `versions` list (PEP 440 equality, or exact text for non-PEP 440
 * strings) OR inside one of its `ECOSYSTEM` ranges, evaluated with the events
 * sorted by version (`introduced` ... `fixed`/`limit` exclusive,
 * `last_affected` inclusive). `GIT`/`SEMVER` ranges are ignored, events that
 * are not PEP 440 versions are skipped, and withdrawn records never match.
 * With `package`, only entries for that (normalised) PyPI name count.
 *
 * @example
 * ```ts
 * const record = { affected: [{ package: { ecosystem: "PyPI", name: "jinja2" },
 *   ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.11.3" }] }] }] };
 * isAffected(record, "2.11.2"); // true
 * isAffected(record, "2.11.3"); // false
 * ```
 */
export function isAffected(record: OsvRecord, version: string | Version, options: { package?: string } = {}): boolean {
  if (record.withdrawn !== undefined && record.withdrawn !== null && record.withdrawn !== "") return false;
  const text = typeof version === "string" ? version : version.toString();
  const parsed = typeof version === "string" ? tryParseVersion(version) : version;
  const wanted = options.package === undefined ? null : normalizeName(options.package);
  for (const affected of record.affected ?? []) {
    const pkg = affected.package ?? {};
    if (pkg.ecosystem !== undefined && !pkg.ecosystem.startsWith("PyPI")) continue;
    if (wanted !== null && normalizeName(pkg.name ?? "") !== wanted) continue;
    if (listed(text, parsed, affected.versions ?? [])) return true;
    if (parsed === null) continue;
    for (const range of affected.ranges ?? []) {
      if (range.type === "ECOSYSTEM" && inRange(parsed, range.events ?? [])) return true;
    }
  }
  return false;
}
