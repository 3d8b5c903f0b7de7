import type { Writable } from 'node:stream';
import { createServiceLogger } from '../service-logger.js';
import { ChannelAdmin } from '../../channel/admin/channel-admin.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { listWheelhouse, publishLocalFiles, type IngestResult } from '../../channel/admin/ingest.js';
import { ingestFromIndex } from '../../channel/admin/ingest-from-index.js';
import type { FileRecord } from '../../channel/catalog/file-record.js';
import { createChannelContext } from '../../channel/channel-context.js';
import { redactConfig } from '../../config/index.js';
import { BulwarkError } from '../../errors/index.js';
import { cliActor } from '../../log/index.js';
import { startChannel } from '../../server/channel-server.js';
import type { CoreServices } from '../../server/services.js';
import { loadCommandConfig } from '../common-options.js';
import { ExitCode, writeLine, type Command, type CommandIo, type ParsedArgs } from '../command.js';
import { withServices } from '../with-services.js';

/** `--listen` and `--channel-dir` are shortcuts for channel keys (hub's --bind-url/--data-dir name hub keys). */
function withChannelFlags(args: ParsedArgs): ParsedArgs {
  const sets = Array.isArray(args.options['set']) ? [...args.options['set']] : [];
  if (typeof args.options['listen'] === 'string') sets.push(`channel.bind_url=${args.options['listen']}`);
  if (typeof args.options['channel-dir'] === 'string') sets.push(`channel.data_dir=${args.options['channel-dir']}`);
  return { ...args, options: { ...args.options, set: sets } };
}

/** Runs `work` with the channel's services (database, blobs, vetting) open; shared by channel-vetting.ts. */
export function withChannel<T>(args: ParsedArgs, io: CommandIo, work: (admin: ChannelAdmin, services: CoreServices, context: ReturnType<typeof createChannelContext>) => Promise<T>): Promise<T> {
  return withServices(withChannelFlags(args), io, async (services) => {
    const context = createChannelContext({ config: services.config.channel, db: services.database.db, audit: services.audit, clock: services.clock, logger: services.logger });
    return work(new ChannelAdmin({ ...context, audit: services.audit, clock: services.clock }), services, context);
  });
}

export function fileJson(file: FileRecord): Record<string, unknown> {
  return { filename: file.filename, version: file.version, sha256: file.sha256, size: file.size, state: file.state, stateReason: file.stateReason, yanked: file.yanked };
}

export function printFiles(io: CommandIo, args: ParsedArgs, verb: string, files: readonly FileRecord[]): void {
  if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify(files.map(fileJson)));
  else for (const file of files) writeLine(io.stdout, `${verb} ${file.filename}`);
}

/** A one-line progress bar, redrawn in place; only on a terminal, never into pipes or logs. */
export function progressBar(stream: Writable & { isTTY?: boolean }): ((done: number, total: number, path: string) => void) | undefined {
  if (stream.isTTY !== true) return undefined;
  return (done, total, path) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const name = path.split('/').at(-1) ?? path;
    stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${name.slice(0, 40).padEnd(40)}`);
    if (done === total) stream.write('\n');
  };
}

function reportIngest(io: CommandIo, args: ParsedArgs, results: readonly IngestResult[]): ExitCode {
  const failed = results.filter((r) => r.outcome === 'failed');
  if (args.options['json'] === true) {
    writeLine(
      io.stdout,
      JSON.stringify(
        results.map((r) =>
          r.outcome === 'published'
            ? { path: r.path, outcome: r.outcome, ...fileJson(r.file) }
            : r.outcome === 'skipped'
              ? { path: r.path, outcome: r.outcome, reason: r.reason }
              : { path: r.path, outcome: r.outcome, error: r.error.toJSON() },
        ),
      ),
    );
  } else {
    for (const r of results) {
      if (r.outcome === 'published') writeLine(io.stdout, `published ${r.file.filename} (${r.file.state}) sha256=${r.file.sha256}`);
      else if (r.outcome === 'skipped') writeLine(io.stdout, `skipped ${r.path}: ${r.reason}`);
      else writeLine(io.stderr, `failed ${r.path}: ${r.error.code}: ${r.error.message}`);
    }
  }
  return failed.length > 0 ? ExitCode.failure : ExitCode.ok;
}

const selectorUsage = 'NAME [VERSION | FILENAME]';

export function selection(args: ParsedArgs, verb: string): { name: string; selector: string | undefined } {
  const [name, selector, ...rest] = args.positionals;
  if (name === undefined || rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: `expected: bulwark channel ${verb} ${selectorUsage}` });
  return { name, selector };
}

export const channelDir = { 'channel-dir': { type: 'string', description: 'Blob directory (channel.data_dir)' } } as const;

export const channelCommands: Command[] = [
  {
    path: ['channel', 'serve'],
    usage: 'channel serve [--config FILE] [--listen URL] [--channel-dir DIR]',
    summary: 'Start the package channel: Simple API, uploads and pages (default http://127.0.0.1:8100)',
    options: { listen: { type: 'string', description: 'URL to listen on (channel.bind_url)' }, ...channelDir, 'log-level': { type: 'string', description: 'Log level (log.level)' } },
    async run(args, io) {
      const { config, file } = loadCommandConfig(withChannelFlags(args), io);
      const logger = createServiceLogger(config);
      logger.info({ file: file ?? null, config: redactConfig(config) }, 'configuration loaded');
      const channel = await startChannel(config, { logger });
      io.stdout.write(`Bulwark channel running at ${channel.url}${config.channel.base_path}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'shutting down');
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          channel
            .close()
            .catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'))
            .finally(resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'upload'],
    usage: 'channel upload FILE\u2026 [--json]',
    summary: 'Publish local wheels into the channel (same checks as an HTTP upload)',
    options: channelDir,
    async run(args, io) {
      if (args.positionals.length === 0) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel upload FILE\u2026' });
      const results = await withChannel(args, io, (_admin, _services, context) => publishLocalFiles(context, args.positionals, cliActor, progressBar(io.stderr)));
      return reportIngest(io, args, results);
    },
  },
  {
    path: ['channel', 'ingest'],
    usage: 'channel ingest --wheelhouse DIR | --from-index URL --requirements FILE [--json]',
    summary: 'Publish into quarantine every distribution of a staging directory, or exactly the hash-pinned files of a requirements file from another Simple API index',
    options: {
      wheelhouse: { type: 'string', description: 'Directory of .whl files to publish' },
      'from-index': { type: 'string', description: 'Simple API index to mirror from (e.g. https://staging.example/simple/)' },
      requirements: { type: 'string', description: 'Hash-pinned requirements file naming exactly the files to mirror' },
      ...channelDir,
    },
    async run(args, io) {
      const dir = args.options['wheelhouse'];
      const fromIndex = args.options['from-index'];
      const requirements = args.options['requirements'];
      if (typeof fromIndex === 'string' || typeof requirements === 'string') {
        if (typeof fromIndex !== 'string' || typeof requirements !== 'string' || dir !== undefined || args.positionals.length > 0) {
          throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel ingest --from-index URL --requirements FILE' });
        }
        const text = await readFile(resolve(io.cwd, requirements), 'utf8').catch((error: unknown) => {
          throw new BulwarkError('CHANNEL_INGEST_REQUIREMENTS_INVALID', { reason: `cannot read ${requirements}: ${(error as Error).message}` });
        });
        const results = await withChannel(args, io, (_admin, _services, context) => ingestFromIndex(context, { indexUrl: fromIndex, requirements: text }, cliActor, progressBar(io.stderr)));
        return reportIngest(io, args, results);
      }
      if (typeof dir !== 'string' || args.positionals.length > 0) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark channel ingest --wheelhouse DIR' });
      const paths = await listWheelhouse(dir);
      const results = await withChannel(args, io, (_admin, _services, context) => publishLocalFiles(context, paths, cliActor, progressBar(io.stderr)));
      return reportIngest(io, args, results);
    },
  },
  {
    path: ['channel', 'yank'],
    usage: `channel yank ${selectorUsage} [--reason TEXT]`,
    summary: 'Yank files (PEP 592): pip skips them unless pinned with ==',
    options: { reason: { type: 'string', description: 'Why, shown to pip users' }, ...channelDir },
    async run(args, io) {
      const { name, selector } = selection(args, 'yank');
      const reason = typeof args.options['reason'] === 'string' ? args.options['reason'] : null;
      printFiles(io, args, 'yanked', await withChannel(args, io, (admin) => admin.yank(name, selector, reason, cliActor)));
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'unyank'],
    usage: `channel unyank ${selectorUsage}`,
    summary: 'Undo a yank',
    options: channelDir,
    async run(args, io) {
      const { name, selector } = selection(args, 'unyank');
      printFiles(io, args, 'unyanked', await withChannel(args, io, (admin) => admin.unyank(name, selector, cliActor)));
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'delete'],
    usage: `channel delete ${selectorUsage} --force`,
    summary: 'Delete files for good (audited); yank instead unless the file must vanish',
    options: { force: { type: 'boolean', description: 'Really delete' }, ...channelDir },
    async run(args, io) {
      const { name, selector } = selection(args, 'delete');
      const force = args.options['force'] === true;
      printFiles(io, args, 'deleted', await withChannel(args, io, (admin) => admin.delete(name, selector, force, cliActor)));
      return ExitCode.ok;
    },
  },
  {
    path: ['channel', 'fsck'],
    usage: 'channel fsck [--json]',
    summary: 'Re-hash every stored file; damaged ones are withheld from the index',
    options: channelDir,
    async run(args, io) {
      const report = await withChannel(args, io, (admin) => admin.fsck(cliActor));
      const bad = report.results.filter((r) => r.status !== 'ok');
      if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify(report));
      else {
        for (const r of bad) writeLine(io.stdout, `${r.status} ${r.filename}: expected ${r.expected}, found ${r.actual ?? '(missing)'}`);
        writeLine(io.stdout, `${report.results.length} file(s) checked, ${bad.length} damaged, ${report.orphans.length} unreferenced blob(s), ${report.sweptStaging} stale staged upload(s) removed`);
      }
      return bad.length > 0 ? ExitCode.failure : ExitCode.ok;
    },
  },
];
