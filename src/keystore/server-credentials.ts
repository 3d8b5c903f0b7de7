import { chmod, chown, lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IssuedCertificate } from './internal-ca.js';

/** The variables jupyterhub-singleuser reads for internal TLS, with the paths written. */
export interface ServerCredentials {
  dir: string;
  env: {
    JUPYTERHUB_SSL_KEYFILE: string;
    JUPYTERHUB_SSL_CERTFILE: string;
    JUPYTERHUB_SSL_CLIENT_CA: string;
  };
}

/**
 * Hands one single-user server its internal-TLS files. jupyterhub-singleuser reads its key from a
 * file (JUPYTERHUB_SSL_KEYFILE), so this is the one place a key is written: into `dir`, created
 * here with mode 700 and given to the server's account only after the files are in place, so
 * there is no moment in which another account could open them. Put `dir` on a tmpfs (/run) so the
 * key never reaches a disk; removeServerCredentials deletes it when the server stops.
 */
export async function writeServerCredentials(dir: string, owner: { uid: number; gid: number }, issued: IssuedCertificate, caPem: string): Promise<ServerCredentials> {
  // A leftover of an earlier server (or a link planted in its place) is removed, never reused.
  const existing = await lstat(dir).catch(() => null);
  if (existing) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o700 });
  const files = { key: join(dir, 'server.key'), cert: join(dir, 'server.crt'), ca: join(dir, 'internal-ca.crt') };
  await writeFile(files.key, issued.keyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(files.cert, issued.certPem, { mode: 0o600, flag: 'wx' });
  await writeFile(files.ca, caPem, { mode: 0o600, flag: 'wx' });
  for (const path of [files.key, files.cert, files.ca, dir]) await chown(path, owner.uid, owner.gid);
  await chmod(dir, 0o700);
  return { dir, env: { JUPYTERHUB_SSL_KEYFILE: files.key, JUPYTERHUB_SSL_CERTFILE: files.cert, JUPYTERHUB_SSL_CLIENT_CA: files.ca } };
}

export async function removeServerCredentials(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
