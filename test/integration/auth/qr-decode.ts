import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Decodes a QR code PNG with a real decoder: zbarimg from Debian's zbar-tools. */
export async function decodeQrPng(png: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-qr-'));
  const file = join(dir, 'qr.png');
  writeFileSync(file, png);
  try {
    const { stdout } = await run('zbarimg', ['--quiet', '--raw', file]);
    return stdout.replace(/\n$/, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('zbarimg is missing: apt-get install -y zbar-tools (scripts/setup.sh --test)', { cause: error });
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
