import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { BulwarkError } from '../../errors/index.js';
import type { ArtifactStore, StagedBlob } from '../artifacts/artifact-store.js';

/** A parsed upload form: text fields (repeatable) and the staged `content` file. */
export interface ReceivedUpload {
  fields: Map<string, string[]>;
  file?: { filename: string; staged: StagedBlob };
}

export interface ReceiveOptions {
  store: ArtifactStore;
  maxSize: number;
  /** Runs as soon as the file part's name is known, so a bad name is refused before any write. */
  checkFilename: (filename: string) => void;
}

/**
 * Streams twine's multipart form: the file goes straight into a staged blob (never into memory
 * as a whole), the other parts are collected as fields. Whatever goes wrong, a staged blob is
 * discarded before the promise rejects, and the rest of the body is drained so the client reads
 * our error instead of a reset connection.
 */
export function receiveUpload(request: IncomingMessage, headers: IncomingHttpHeaders, options: ReceiveOptions): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // preservePath: busboy would otherwise strip directories, hiding a hostile name from our check.
      parser = busboy({ headers, preservePath: true, limits: { fileSize: options.maxSize, fields: 500, fieldSize: 1024 * 1024, files: 4, parts: 600 } });
    } catch (error) {
      reject(new BulwarkError('CHANNEL_UPLOAD_INVALID', { reason: `not a multipart/form-data body (${(error as Error).message})` }));
      return;
    }
    const fields = new Map<string, string[]>();
    let filePart: Promise<ReceivedUpload['file']> | undefined;
    let finished = false;

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return;
      fields.set(name, [...(fields.get(name) ?? []), value]);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'content' || filePart) {
        stream.resume(); // signatures and attestations are not kept (yet)
        return;
      }
      filePart = stageFile(stream, info.filename ?? '', options);
      filePart.catch(() => undefined); // observed below; avoid an unhandled rejection meanwhile
    });
    parser.on('error', (error: Error) => {
      finished = true;
      void settleFailure(filePart, new BulwarkError('CHANNEL_UPLOAD_INVALID', { reason: error.message }), reject);
    });
    parser.on('close', () => {
      if (finished) return;
      finished = true;
      if (!filePart) return resolve({ fields });
      filePart.then((file) => resolve(file ? { fields, file } : { fields }), reject);
    });
    request.on('close', () => {
      // The client went away mid-body: fail the file stream so its staged bytes are removed.
      if (!request.complete && !finished) parser.destroy(new Error('the client closed the connection before the upload finished'));
    });
    request.pipe(parser);
  });
}

async function settleFailure(filePart: Promise<ReceivedUpload['file']> | undefined, error: BulwarkError, reject: (error: unknown) => void) {
  if (filePart) await filePart.then((file) => file?.staged.discard(), () => undefined);
  reject(error);
}

async function stageFile(stream: Readable & { truncated?: boolean }, filename: string, options: ReceiveOptions): Promise<{ filename: string; staged: StagedBlob } | undefined> {
  let failure: unknown;
  try {
    options.checkFilename(filename);
  } catch (error) {
    failure = error;
  }
  const staged = failure === undefined ? await options.store.stage() : undefined;
  try {
    for await (const chunk of stream) {
      if (failure !== undefined || !staged) continue; // keep draining so the response can be read
      try {
        await staged.write(chunk as Buffer);
      } catch (error) {
        failure = error;
      }
    }
  } catch (error) {
    failure ??= new BulwarkError('CHANNEL_UPLOAD_INVALID', { reason: (error as Error).message });
  }
  if (failure === undefined && stream.truncated === true) {
    failure = new BulwarkError('CHANNEL_UPLOAD_TOO_LARGE', { filename, limit: options.maxSize });
  }
  if (failure !== undefined) {
    await staged?.discard();
    throw failure;
  }
  return staged ? { filename, staged } : undefined;
}
