import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { FileRecord } from '../catalog/file-record.js';

/** A stored file's bytes, for the vetting pipeline (which reads the whole archive anyway). */
export async function readStoredFile(store: ArtifactStore, file: FileRecord): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of store.createReadStream(file.sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
