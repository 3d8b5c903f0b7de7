import { parseCoreMetadata, type CoreMetadata } from '../../pypkg/index.js';
import type { WheelUnderTest } from './wheel-under-test.js';

/**
 * Names of the top-level `*.dist-info` directories of a wheel, sorted.
 *
 * @example
 * ```ts
 * distInfoDirectories(wheel); // ['demo-1.0.dist-info']
 * ```
 */
export function distInfoDirectories(wheel: WheelUnderTest): string[] {
  const dirs = new Set<string>();
  for (const entry of wheel.requireArchive().entries) {
    const top = entry.name.split('/')[0] ?? '';
    if (top.endsWith('.dist-info') && (entry.name.includes('/') || entry.isDirectory)) dirs.add(top);
  }
  return [...dirs].sort();
}

/**
 * The wheel's one `.dist-info` directory, or null when there is none or several (the
 * wheel-structure step reports which).
 *
 * @example
 * ```ts
 * distInfoDirectory(wheel); // 'demo-1.0.dist-info'
 * ```
 */
export function distInfoDirectory(wheel: WheelUnderTest): string | null {
  const dirs = distInfoDirectories(wheel);
  return dirs.length === 1 ? (dirs[0] as string) : null;
}

/**
 * The parsed METADATA of the wheel's `.dist-info`, or null when absent or not unique.
 *
 * @example
 * ```ts
 * readWheelMetadata(wheel)?.requiresDist;
 * ```
 */
export function readWheelMetadata(wheel: WheelUnderTest): CoreMetadata | null {
  const dir = distInfoDirectory(wheel);
  const entry = dir === null ? undefined : wheel.find(`${dir}/METADATA`);
  return entry === undefined ? null : parseCoreMetadata(wheel.read(entry).toString('utf8'));
}
