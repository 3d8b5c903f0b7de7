import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import type { Actor } from '../../log/index.js';
import { requireScope } from '../access/caller.js';
import type { ChannelDeps } from '../channel-deps.js';
import { receiveUpload } from './multipart-receiver.js';

function field(fields: Map<string, string[]>, name: string): string | undefined {
  const value = fields.get(name)?.[0];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * twine's legacy upload API (`POST <channel>/legacy/`, multipart, Basic auth with `__token__`).
 * A duplicate file name is 409 "File already exists", which `twine upload --skip-existing`
 * recognises.
 */
export function registerUploadRoutes(app: FastifyInstance, deps: ChannelDeps): void {
  // Leave the body unread: the handler streams it after checking the token.
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));

  const handler = async (request: FastifyRequest) => {
    const caller = await requireScope(request, deps.tokens, 'channel:publish', 'upload files');
    const actor: Actor = { name: caller.user.name, ip: request.ip };
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) {
      throw new BulwarkError('CHANNEL_UPLOAD_INVALID', { reason: 'expected a multipart/form-data body, as twine sends' });
    }
    let filename: string | undefined;
    try {
      const upload = await receiveUpload(request.raw, request.headers, {
        store: deps.store,
        maxSize: deps.config.max_upload_size,
        checkFilename: (name) => {
          filename = name;
          deps.publisher.checkFilename(name);
        },
      });
      const { fields, file } = upload;
      const action = field(fields, ':action');
      if (action !== 'file_upload' || !file) {
        await file?.staged.discard();
        throw new BulwarkError('CHANNEL_UPLOAD_INVALID', { reason: action !== 'file_upload' ? `unsupported :action ${JSON.stringify(action ?? '')}` : 'the form has no "content" file' });
      }
      const record = await deps.publisher.publish(
        file.staged,
        file.filename,
        {
          name: field(fields, 'name'),
          version: field(fields, 'version'),
          sha256: field(fields, 'sha256_digest'),
          blake2_256: field(fields, 'blake2_256_digest'),
          requiresPython: field(fields, 'requires_python'),
        },
        actor,
        { requireDigest: true },
      );
      deps.logger.info({ filename: record.filename, sha256: record.sha256, state: record.state, by: actor.name }, 'file uploaded');
      return { ok: true, filename: record.filename, version: record.version, sha256: record.sha256, size: record.size, state: record.state };
    } catch (error) {
      if (isBulwarkError(error) && error.code !== 'CHANNEL_FILE_EXISTS') {
        await deps.audit.record(actor, { action: 'channel.upload', target: filename ?? null, outcome: 'failure', detail: { code: error.code, message: error.message } });
      }
      throw error;
    }
  };
  app.post(deps.paths.legacy, handler);
  app.post(deps.paths.legacy.slice(0, -1), handler);
}
