import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command, CommandIo, ParsedArgs } from '../command.js';
import { ExitCode, writeLine } from '../command.js';
import { withServices } from '../with-services.js';
import { createSqlAdvisoryStore, importAdvisories } from '../../channel/advisories/index.js';
import { selectFiles } from '../../channel/admin/select-files.js';
import type { FileRecord } from '../../channel/catalog/file-record.js';
import { approveFiles } from '../../channel/review/approve-files.js';
import { parseExpiry } from '../../channel/review/parse-expiry.js';
import { quarantineAffected } from '../../channel/review/quarantine-affected.js';
import { rejectFiles } from '../../channel/review/reject-files.js';
import { vetStoredFiles } from '../../channel/review/vet-stored-files.js';
import { waiveFinding } from '../../channel/review/waive-finding.js';
import { blockingFindings, defaultVettingSteps, runVettingPipeline, vettingPolicyFromConfig, type VettingReport } from '../../channel/vetting/index.js';
import { BulwarkError } from '../../errors/index.js';
import { cliActor } from '../../log/index.js';
import { channelDir, fileJson, printFiles, selection, withChannel } from './channel.js';

const json = (args: ParsedArgs) => args.options['json'] === true;
const text = (args: ParsedArgs, name: string): string | undefined => (typeof args.options[name] === 'string' ? args.options[name] : undefined);

function printReport(io: CommandIo, report: VettingReport, indent = ''): void {
  writeLine(io.stdout, `${indent}${report.filename}: ${report.status}${report.dryRun ? ' (dry run)' : ''} in ${report.durationMs.toFixed(0)} ms`);
  for (const step of report.steps) {
    writeLine(io.stdout, `${indent}  ${step.status.padEnd(5)} ${step.name}`);
    for (const f of step.findings) {
      if (f.severity === 'info') continue;
      const mark = f.blocking ? 'BLOCK' : f.waived !== undefined ? 'waived' : f.wouldBlock === true ? 'would block' : f.severity;
      writeLine(io.stdout, `${indent}        [${mark}] ${f.code}: ${f.message}`);
    }
  }
}

function blockingSummary(report: VettingReport): string {
  return [...new Set(blockingFindings(report).map((f) => f.code))].join(', ');
}

/** `vet --local FILE...`: vets files on disk without storing anything. */
function vetLocalFiles(args: ParsedArgs, io: CommandIo): Promise<ExitCode> {
    if (args.positionals.length === 0) throw new BulwarkError('CLI_USAGE', { detail: 'channel vet --local needs at least one FILE' });
    return withServices(args, io, async (services) => {
      const advisories = createSqlAdvisoryStore(services.database.db);
      const projects = await services.database.db.selectFrom('channel_projects').select('name').execute();
      const context = {
        policy: vettingPolicyFromConfig(services.config.channel.policy),
        advisories,
        knownProjects: new Set(projects.map((p) => p.name)),
        waivers: [],
        now: services.clock(),
      };
      const reports: VettingReport[] = [];
      for (const path of args.positionals) {
        const full = resolve(io.cwd, path);
        let bytes: Buffer;
        try {
          bytes = await readFile(full);
        } catch (error) {
          throw new BulwarkError('CHANNEL_VETTING_FILE_UNREADABLE', { path, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
        }
        const report = await runVettingPipeline({ filename: basename(full), bytes }, defaultVettingSteps(), context);
        reports.push(report);
        if (!json(args)) printReport(io, report);
      }
      if (json(args)) writeLine(io.stdout, JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
      const rejected = reports.filter((r) => r.status === 'rejected');
      if (!json(args) && rejected.length > 0) {
        writeLine(io.stderr, `${rejected.length} of ${reports.length} rejected: ${rejected.map((r) => `${r.filename} (${[...new Set(blockingFindings(r).map((f) => f.code))].join(', ')})`).join('; ')}`);
      }
      return rejected.length > 0 ? ExitCode.failure : ExitCode.ok;
    });
}

const vet: Command = {
  path: ['channel', 'vet'],
  usage: 'channel vet [NAME [VERSION | FILENAME]] [--json] | channel vet --local FILE\u2026 [--json]',
  summary: 'Run the vetting pipeline again on stored files (all without NAME) and move them to vetted or rejected; --local vets files on disk without storing them',
  options: { local: { type: 'boolean', description: 'Vet local files (nothing is stored)' }, ...channelDir },
  async run(args, io) {
    if (args.options['local'] === true) return vetLocalFiles(args, io);
    const [name, selector, ...rest] = args.positionals;
    if (rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel vet [NAME [VERSION | FILENAME]]' });
    const results = await withChannel(args, io, (_admin, _services, context) => vetStoredFiles(context, name, selector, cliActor));
    if (json(args)) {
      writeLine(io.stdout, JSON.stringify(results.map((r) => (r.outcome === 'vetted' ? { ...fileJson(r.file), report: r.report } : { ...fileJson(r.file), error: r.message })), null, 2));
    } else {
      for (const r of results) {
        if (r.outcome === 'error') writeLine(io.stderr, `error ${r.file.filename}: ${r.message}`);
        else writeLine(io.stdout, `${r.file.state} ${r.file.filename}${r.report.status === 'rejected' ? ` (${blockingSummary(r.report)})` : ''}`);
      }
    }
    return results.some((r) => r.outcome === 'error' || r.report.status === 'rejected') ? ExitCode.failure : ExitCode.ok;
  },
};

const approve: Command = {
  path: ['channel', 'approve'],
  usage: 'channel approve NAME [VERSION | FILENAME] [--reason TEXT] [--waive ID|CODE \u2026] [--expires 30d] [--json]',
  summary: 'Let vetted files into the index (needs channel:approve); a rejected file is refused unless --waive covers its blocking findings',
  options: {
    reason: { type: 'string', description: 'Why (audited; the reason of any waiver created)' },
    waive: { type: 'string', multiple: true, description: 'Advisory id or finding code to waive for these files (repeatable); MAL- records cannot be waived' },
    expires: { type: 'string', description: 'When the waivers end: 12h, 30d, 2w or an ISO date (default 30d)' },
    ...channelDir,
  },
  async run(args, io) {
    const { name, selector } = selection(args, 'approve');
    const raw = args.options['waive'];
    const waive = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((w) => w.split(',')).map((w) => w.trim()).filter((w) => w !== '');
    const reason = text(args, 'reason') ?? null;
    if (waive.length > 0 && reason === null) throw new BulwarkError('CLI_USAGE', { detail: 'approve --waive needs --reason TEXT (the waiver\'s reason)' });
    const results = await withChannel(args, io, (_admin, services, context) =>
      approveFiles(context, name, selector, { reason, waive, expiresAt: parseExpiry(text(args, 'expires') ?? '30d', services.clock()) }, cliActor),
    );
    if (json(args)) writeLine(io.stdout, JSON.stringify(results.map((r) => ({ ...fileJson(r.file), outcome: r.outcome, ...(r.outcome === 'refused' ? { blocking: r.blocking } : {}) }))));
    else for (const r of results) writeLine(io.stdout, `${r.outcome} ${r.file.filename}${r.outcome === 'refused' ? ` (${r.file.state}: ${r.blocking.join(', ')})` : ''}`);
    const refused = results.filter((r) => r.outcome === 'refused');
    if (refused.length === 0) return ExitCode.ok;
    const error = new BulwarkError('CHANNEL_APPROVAL_REFUSED', { count: refused.length, files: refused.map((r) => r.file.filename).join(', ') });
    writeLine(io.stderr, `${error.code}: ${error.message}`);
    return ExitCode.failure;
  },
};

const reject: Command = {
  path: ['channel', 'reject'],
  usage: 'channel reject NAME [VERSION | FILENAME] --reason TEXT [--json]',
  summary: 'Take files out of the index for good (a person\'s decision; re-vetting does not undo it)',
  options: { reason: { type: 'string', description: 'Why (required, audited, shown on the project page)' }, ...channelDir },
  async run(args, io) {
    const { name, selector } = selection(args, 'reject');
    const reason = text(args, 'reason');
    if (reason === undefined || reason.trim() === '') throw new BulwarkError('CLI_USAGE', { detail: 'channel reject needs --reason TEXT' });
    printFiles(io, args, 'rejected', await withChannel(args, io, (_admin, _services, context) => rejectFiles(context, name, selector, reason, cliActor)));
    return ExitCode.ok;
  },
};

const waive: Command = {
  path: ['channel', 'waive'],
  usage: 'channel waive --file FILENAME (--advisory ID | --finding CODE) --reason TEXT [--expires 30d] [--json]',
  summary: 'Accept one advisory or finding for one file until a date, then vet the file again',
  options: {
    file: { type: 'string', description: 'File name in the channel' },
    advisory: { type: 'string', description: 'Advisory id or alias (PYSEC-\u2026, GHSA-\u2026, CVE-\u2026); MAL- records cannot be waived' },
    finding: { type: 'string', description: 'Finding code, e.g. NAME_TYPOSQUAT or POLICY_LICENSE' },
    reason: { type: 'string', description: 'Why the risk is accepted (required)' },
    expires: { type: 'string', description: 'When the waiver ends: 12h, 30d, 2w or an ISO date (default 30d)' },
    ...channelDir,
  },
  async run(args, io) {
    const filename = text(args, 'file');
    const advisory = text(args, 'advisory');
    const code = text(args, 'finding');
    const reason = text(args, 'reason');
    if (filename === undefined || (advisory === undefined) === (code === undefined) || reason === undefined || args.positionals.length > 0) {
      throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel waive --file FILENAME (--advisory ID | --finding CODE) --reason TEXT [--expires 30d]' });
    }
    const outcome = await withChannel(args, io, (_admin, services, context) =>
      waiveFinding(context, { filename, subject: advisory ?? code ?? '', reason, expiresAt: parseExpiry(text(args, 'expires') ?? '30d', services.clock()) }, cliActor),
    );
    if (json(args)) writeLine(io.stdout, JSON.stringify({ waiver: outcome.waiver, ...fileJson(outcome.file), report: outcome.report }));
    else writeLine(io.stdout, `waived ${outcome.waiver.subject} for ${filename} until ${outcome.waiver.expiresAt}; the file is now ${outcome.file.state}`);
    return ExitCode.ok;
  },
};

const statusCommand: Command = {
  path: ['channel', 'status'],
  usage: 'channel status [NAME [VERSION | FILENAME]] [--json]',
  summary: 'Show every file\'s state, why, and its vetting report',
  options: channelDir,
  async run(args, io) {
    const [name, selector, ...rest] = args.positionals;
    if (rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel status [NAME [VERSION | FILENAME]]' });
    const rows = await withChannel(args, io, async (_admin, _services, context) => {
      const files: FileRecord[] = name === undefined ? await context.catalog.allFiles() : (await selectFiles(context.catalog, name, selector)).files;
      const out: Array<{ file: FileRecord; report: VettingReport | null; waivers: Awaited<ReturnType<typeof context.waivers.forFile>> }> = [];
      for (const file of files) out.push({ file, report: await context.reports.latest(file.filename), waivers: await context.waivers.forFile(file.filename) });
      return out;
    });
    if (json(args)) {
      writeLine(io.stdout, JSON.stringify(rows.map((r) => ({ ...fileJson(r.file), stateChangedAt: r.file.stateChangedAt, stateChangedBy: r.file.stateChangedBy, report: r.report, waivers: r.waivers })), null, 2));
      return ExitCode.ok;
    }
    for (const { file, report } of rows) {
      writeLine(io.stdout, `${file.state.padEnd(11)} ${file.filename}${file.stateReason ? ` \u2014 ${file.stateReason}` : ''}`);
      if (report !== null) printReport(io, report, '    ');
    }
    if (rows.length === 0) writeLine(io.stdout, 'no files');
    return ExitCode.ok;
  },
};

const importCommand: Command = {
  path: ['channel', 'advisories', 'import'],
  usage: 'channel advisories import PATH [--json] [--config FILE]',
  summary: "Import advisories (osv.dev's PyPI/all.zip, a directory of OSV JSON, or pypa/advisory-database), then re-check every approved and vetted file",
  options: channelDir,
  async run(args, io) {
    const path = args.positionals[0];
    if (path === undefined || args.positionals.length > 1) throw new BulwarkError('CLI_USAGE', { detail: 'channel advisories import needs exactly one PATH' });
    return withChannel(args, io, async (_admin, services, context) => {
      const store = context.advisories;
      let result;
      try {
        result = await importAdvisories(resolve(io.cwd, path), store, { now: services.clock });
      } catch (error) {
        throw new BulwarkError('CHANNEL_ADVISORY_SOURCE_INVALID', { path, reason: (error as Error).message }, { cause: error });
      }
      await services.audit.record({ name: null }, {
        action: 'channel.advisories.import',
        target: path,
        detail: { format: result.format, read: result.recordsRead, inserted: result.inserted, updated: result.updated, skipped: result.skipped },
      });
      const recheck = await quarantineAffected({ ...context, logger: services.logger }, cliActor);
      if (json(args)) writeLine(io.stdout, JSON.stringify({ ...result, recheck }, null, 2));
      else {
        writeLine(io.stdout, `imported ${path} (${result.format}): ${result.recordsRead} read, ${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged, ${result.skipped} skipped in ${result.durationMs.toFixed(0)} ms`);
        writeLine(io.stdout, `${result.withdrawn} withdrawn (kept, never matched), ${result.malicious} malicious, ${result.changedPackages.length} packages changed`);
        for (const p of result.problems) writeLine(io.stdout, `  skipped ${p.origin}: ${p.error}`);
        writeLine(io.stdout, `re-checked ${recheck.checked} approved or vetted file(s) in ${recheck.durationMs.toFixed(0)} ms; ${recheck.quarantined.length} moved to quarantine`);
        for (const q of recheck.quarantined) writeLine(io.stdout, `  quarantined ${q.filename}: ${q.advisories.join(', ')}`);
      }
      return ExitCode.ok;
    });
  },
};

const status: Command = {
  path: ['channel', 'advisories', 'status'],
  usage: 'channel advisories status [--json] [--config FILE]',
  summary: 'Show the size of the advisory database and the last imports',
  async run(args, io) {
    return withServices(args, io, async (services) => {
      const store = createSqlAdvisoryStore(services.database.db);
      const counts = await store.counts();
      const imports = await store.imports(5);
      if (json(args)) writeLine(io.stdout, JSON.stringify({ ...counts, imports }, null, 2));
      else {
        writeLine(io.stdout, `${counts.total} advisories (${counts.withdrawn} withdrawn, ${counts.malicious} malicious) for ${counts.packages} packages`);
        if (imports.length === 0) writeLine(io.stdout, 'never imported: run `bulwark channel advisories import PATH`');
        for (const i of imports) writeLine(io.stdout, `  ${i.importedAt} ${i.format} ${i.source}: ${i.inserted} new, ${i.updated} updated, ${i.skipped} skipped`);
      }
      return ExitCode.ok;
    });
  },
};

/** `bulwark channel vet|approve|reject|waive|status` and `bulwark channel advisories import|status`. */
export const channelVettingCommands: Command[] = [vet, approve, reject, waive, statusCommand, importCommand, status];
