import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files the hub writes for one server (pip.conf, the channel's CA) in a directory only the hub
 * can change. Root never writes through a path the person controls: the directory is the hub's
 * own (checked, not a symlink, mode 0711 so others can pass but not list it), each file is created
 * fresh (O_EXCL | O_NOFOLLOW) under a random name, handed to the person (0400) and renamed into
 * place. The person can read their file; nobody else can.
 */
export interface ServerFiles {
  dir: string;
  /** Writes `<dir>/<stem><suffix>` for the account; returns its path. */
  write(stem: string, suffix: string, text: string, owner: { uid: number; gid: number }): Promise<string>;
  /** Removes every file of `stem`; missing files are fine. */
  remove(stem: string, suffixes: readonly string[]): Promise<void>;
}

/** The hub's uid; undefined on platforms without uids (then no ownership checks apply). */
const hubUid = process.getuid?.();

async function ensureHubDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o711 });
  const info = await lstat(dir);
  if (info.isSymbolicLink() || !info.isDirectory()) throw new Error(`${dir} is not a directory`);
  if (hubUid !== undefined && info.uid !== hubUid) throw new Error(`${dir} belongs to uid ${info.uid}, not to the hub (uid ${hubUid})`);
  if ((info.mode & 0o022) !== 0) throw new Error(`${dir} is writable by others (mode ${(info.mode & 0o777).toString(8)})`);
  // An existing 0700 directory would hide the files from their owners.
  if ((info.mode & 0o777) !== 0o711) await chmod(dir, 0o711);
}

/** A per-server file name: uid plus the server name in hex, so any server name is a safe name. */
export function serverFileStem(uid: number, serverName: string): string {
  return `u${uid}-s${Buffer.from(serverName, 'utf8').toString('hex')}`;
}

export function serverFiles(dir: string): ServerFiles {
  return {
    dir,
    async write(stem, suffix, text, owner) {
      await ensureHubDir(dir);
      const final = join(dir, `${stem}${suffix}`);
      const temporary = join(dir, `.${stem}${suffix}.${randomBytes(6).toString('hex')}`);
      const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        // A hub without root needs CAP_CHOWN here; failing is better than a file its owner cannot read.
        if (hubUid !== undefined && hubUid !== owner.uid) await handle.chown(owner.uid, owner.gid);
        await handle.chmod(0o400);
      } catch (error) {
        await handle.close();
        await rm(temporary, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temporary, final);
      return final;
    },
    async remove(stem, suffixes) {
      await Promise.all(suffixes.map((suffix) => rm(join(dir, `${stem}${suffix}`), { force: true })));
    },
  };
}
