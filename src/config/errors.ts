import { BulwarkError } from '../errors/index.js';

/** Where a config value came from, so an error can point at the right place. */
export type ConfigSource = 'default' | 'file' | 'environment' | 'flag';

export interface ConfigProblem {
  /** Dotted key path, e.g. `hub.bind_url`. */
  path: string;
  message: string;
  source: ConfigSource;
  /** The file, environment variable or flag that supplied the value, where known. */
  origin?: string;
}

/** A config that cannot be used; carries every problem found, not only the first. */
export class ConfigError extends BulwarkError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super('CONFIG_INVALID', { detail: problems.map(formatProblem).join('; ') });
    this.problems = problems;
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.origin ? ` (from ${problem.origin})` : '';
  return `${problem.path}: ${problem.message}${where}`;
}
