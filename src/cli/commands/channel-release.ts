import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkRelease } from '../../channel/releases/check-release.js';
import { createRelease } from '../../channel/releases/create-release.js';
import { publishRelease } from '../../channel/releases/publish-release.js';
import { currencyOf, diffOf } from '../../channel/releases/release-reports.js';
import { formatCurrency, formatDiff, formatProof } from '../../channel/releases/release-text.js';
import { verifyEnvironment, type EnvironmentReport } from '../../channel/releases/verify-environment.js';
import { BulwarkError } from '../../errors/index.js';
import { cliActor } from '../../log/index.js';
import { ExitCode, writeLine, type Command, type CommandIo, type ParsedArgs } from '../command.js';
import { channelDir, withChannel } from './channel.js';

const json = (args: ParsedArgs) => args.options['json'] === true;
const text = (args: ParsedArgs, name: string): string | undefined => (typeof args.options[name] === 'string' ? args.options[name] : undefined);
const list = (args: ParsedArgs, name: string): string[] => {
  const value = args.options[name];
  return Array.isArray(value) ? value.flatMap((v) => v.split(',')).filter((v) => v !== '') : typeof value === 'string' ? value.split(',').filter((v) => v !== '') : [];
};
const jsonOption = { json: { type: 'boolean', description: 'Machine-readable output' } } as const;

function one(args: ParsedArgs, usage: string): string {
  const [name, ...rest] = args.positionals;
  if (name === undefined || rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: `expected: bulwark ${usage}` });
  return name;
}

async function toolVersion(): Promise<string> {
  const raw = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

function printEnvironment(io: CommandIo, report: EnvironmentReport): void {
  writeLine(io.stdout, `${report.python} against ${report.release} (${report.target}): ${report.clean ? 'clean' : 'NOT clean'} \u2014 ${report.checkedFiles} recorded file(s) checked`);
  for (const e of report.extra) writeLine(io.stdout, `  extra      ${e.project} ${e.version}`);
  for (const m of report.missing) writeLine(io.stdout, `  missing    ${m.project} ${m.version}`);
  for (const d of report.different) writeLine(io.stdout, `  different  ${d.project} ${d.installed} (release pins ${d.pinned})`);
  for (const m of report.modified) for (const f of m.files) writeLine(io.stdout, `  modified   ${m.project} ${m.version}: ${f.path} (${f.problem})`);
  if (report.ignored.length > 0) writeLine(io.stdout, `  (installer tooling not counted as extra: ${report.ignored.join(', ')}; --strict counts it)`);
}

export const channelReleaseCommands: Command[] = [
  {
    path: ['channel', 'release', 'create'],
    usage: 'channel release create NAME --requirements FILE --target TARGET\u2026 [--from RELEASE] [--json]',
    summary: 'Resolve top-level requirements against approved files for every target and store a draft release',
    options: {
      requirements: { type: 'string', description: 'Top-level requirements (PEP 508 lines)' },
      target: { type: 'string', multiple: true, description: 'Target environment, e.g. cp312-manylinux_x86_64 (repeat or comma-separate)' },
      from: { type: 'string', description: 'Prefer the pins of this release' },
      ...jsonOption,
      ...channelDir,
    },
    async run(args, io) {
      const name = one(args, 'channel release create NAME --requirements FILE --target TARGET\u2026');
      const file = text(args, 'requirements');
      if (file === undefined) throw new BulwarkError('CLI_USAGE', { detail: 'channel release create needs --requirements FILE' });
      const requirements = await readFile(resolve(io.cwd, file), 'utf8');
      const created = await withChannel(args, io, async (_admin, services, context) => {
        const release = await createRelease(
          { catalog: context.catalog, releases: context.releases.releases },
          { name, requirements, targets: list(args, 'target'), from: text(args, 'from'), actor: cliActor.name, now: services.clock().toISOString() },
        );
        await services.audit.record(cliActor, { action: 'channel.release.create', target: name, detail: { targets: release.record.targets, pins: release.pins.length, holes: release.holes.length } });
        return release;
      });
      if (json(args)) writeLine(io.stdout, JSON.stringify({ release: created.record, pins: created.pins, holes: created.holes, attempts: created.attempts }));
      else {
        const targets = created.record.targets.map((t) => `${t} (${created.pins.filter((p) => p.target === t).length} pins)`);
        writeLine(io.stdout, `created draft release ${name}: ${targets.join(', ')}`);
        for (const { target, hole } of created.holes) {
          for (const d of hole.demands) writeLine(io.stdout, `  hole: ${target}: ${hole.project} (needed by ${d.by ?? 'the top-level requirements'}) has no approved file for this target`);
        }
        if (created.holes.length > 0) writeLine(io.stdout, `release ${name} is not closed; approve the missing files and create a new release`);
      }
      return created.holes.length > 0 ? ExitCode.failure : ExitCode.ok;
    },
  },
  {
    path: ['channel', 'release', 'check'],
    usage: 'channel release check NAME [--brief] [--json]',
    summary: 'Prove that a release is closed on every target, or list its holes',
    options: { brief: { type: 'boolean', description: 'Counts only for closed targets' }, ...jsonOption, ...channelDir },
    async run(args, io) {
      const name = one(args, 'channel release check NAME');
      const { proof } = await withChannel(args, io, (_admin, _services, context) => checkRelease({ catalog: context.catalog, releases: context.releases.releases }, name));
      if (json(args)) writeLine(io.stdout, JSON.stringify(proof));
      else for (const line of formatProof(proof, { brief: args.options['brief'] === true })) writeLine(io.stdout, line);
      return proof.closed ? ExitCode.ok : ExitCode.failure;
    },
  },
  {
    path: ['channel', 'release', 'publish'],
    usage: 'channel release publish NAME [--base-url URL] [--json]',
    summary: 'Freeze a closed release: requirements files, pylock.toml, SBOM and its release-scoped index',
    options: { 'base-url': { type: 'string', description: "The channel's public URL (default: channel.public_url, else channel.bind_url + base_path)" }, ...jsonOption, ...channelDir },
    async run(args, io) {
      const name = one(args, 'channel release publish NAME');
      const version = await toolVersion();
      const result = await withChannel(args, io, (_admin, services, context) => {
        const channel = services.config.channel;
        const channelUrl = text(args, 'base-url') ?? channel.public_url ?? `${channel.bind_url.replace(/\/+$/, '')}${channel.base_path}`;
        return publishRelease({ catalog: context.catalog, store: context.store, releases: context.releases.releases }, name, {
          channelUrl,
          actor: cliActor.name,
          now: services.clock().toISOString(),
          toolVersion: version,
        }).then(async (published) => {
          await services.audit.record(cliActor, { action: 'channel.release.publish', target: name, detail: { documents: published.documents } });
          return published;
        });
      });
      if (json(args)) writeLine(io.stdout, JSON.stringify(result));
      else writeLine(io.stdout, `published ${name}: ${result.documents.join(', ')}`);
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'release', 'show'],
    usage: 'channel release show NAME [--json]',
    summary: 'Show a release: state, targets and pins',
    options: { ...jsonOption, ...channelDir },
    async run(args, io) {
      const name = one(args, 'channel release show NAME');
      const { record, pins, documents } = await withChannel(args, io, async (_admin, _services, context) => {
        const store = context.releases.releases;
        return { record: await store.require(name), pins: await store.pins(name), documents: await store.documentPaths(name) };
      });
      if (json(args)) writeLine(io.stdout, JSON.stringify({ ...record, pins, documents }));
      else {
        writeLine(io.stdout, `${record.name} (${record.state}) targets ${record.targets.join(', ')}${record.fromRelease ? ` from ${record.fromRelease}` : ''}`);
        for (const pin of pins) writeLine(io.stdout, `  ${pin.target} ${pin.project}==${pin.version} ${pin.filename} sha256:${pin.sha256}`);
        for (const doc of documents) writeLine(io.stdout, `  document ${doc}`);
      }
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'release', 'list'],
    usage: 'channel release list [--json]',
    summary: 'List releases',
    options: { ...jsonOption, ...channelDir },
    async run(args, io) {
      const releases = await withChannel(args, io, (_admin, _services, context) => context.releases.releases.list());
      if (json(args)) writeLine(io.stdout, JSON.stringify(releases));
      else for (const r of releases) writeLine(io.stdout, `${r.name}\t${r.state}\t${r.targets.join(',')}\t${r.publishedAt ?? r.createdAt}`);
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'release', 'diff'],
    usage: 'channel release diff A B [--json]',
    summary: 'What changed from release A to release B: pins and advisories',
    options: { ...jsonOption, ...channelDir },
    async run(args, io) {
      const [a, b, ...rest] = args.positionals;
      if (a === undefined || b === undefined || rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel release diff A B' });
      const diff = await withChannel(args, io, (_admin, _services, context) => diffOf({ catalog: context.catalog, releases: context.releases }, a, b));
      if (json(args)) writeLine(io.stdout, JSON.stringify(diff));
      else for (const line of formatDiff(diff)) writeLine(io.stdout, line);
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'currency'],
    usage: 'channel currency NAME [--json]',
    summary: 'Newer approved versions and advisories now affecting a release',
    options: { ...jsonOption, ...channelDir },
    async run(args, io) {
      const name = one(args, 'channel currency NAME');
      const report = await withChannel(args, io, (_admin, services, context) => currencyOf({ catalog: context.catalog, releases: context.releases }, name, services.clock().toISOString()));
      if (json(args)) writeLine(io.stdout, JSON.stringify(report));
      else for (const line of formatCurrency(report)) writeLine(io.stdout, line);
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'verify-env'],
    usage: 'channel verify-env --release NAME --python PATH [--target TARGET] [--strict] [--json]',
    summary: "Compare an interpreter's installed distributions (and their RECORD hashes) with a release",
    options: {
      release: { type: 'string', description: 'The release to compare with' },
      python: { type: 'string', description: 'The interpreter whose environment is checked' },
      target: { type: 'string', description: 'Which target of the release (default: the one matching the interpreter)' },
      strict: { type: 'boolean', description: 'Count pip, setuptools and wheel as extra when the release lacks them' },
      ...jsonOption,
      ...channelDir,
    },
    async run(args, io) {
      const release = text(args, 'release');
      const python = text(args, 'python');
      if (release === undefined || python === undefined || args.positionals.length > 0) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel verify-env --release NAME --python PATH' });
      const { record, pins } = await withChannel(args, io, async (_admin, _services, context) => ({
        record: await context.releases.releases.require(release),
        pins: await context.releases.releases.pins(release),
      }));
      const target = text(args, 'target');
      const report = await verifyEnvironment(record, pins, { python, ...(target ? { target } : {}), strict: args.options['strict'] === true });
      if (json(args)) writeLine(io.stdout, JSON.stringify(report));
      else printEnvironment(io, report);
      return report.clean ? ExitCode.ok : ExitCode.failure;
    },
  },
];
