/**
 * How a server's pip is bound to the package channel, as measured with Debian's pip 23.0.1:
 * - PIP_CONFIG_FILE names a file that overrides the global (/etc/pip.conf, /etc/xdg/pip/pip.conf)
 *   and site (venv) files, and it switches the user's own ~/.config/pip/pip.conf off entirely.
 * - List options set in the global files (constraint, extra-index-url, find-links) are cleared
 *   only by an empty entry in that file: a PIP_EXTRA_INDEX_URL='' variable is ignored by pip.
 * - PIP_* variables win over every file, so the index and only-binary are also set there.
 * This is configuration, not confinement: a person can still unset the variables in a terminal.
 */

export interface PipSettingsInput {
  /** The only index, e.g. http://127.0.0.1:8000/channel/releases/r1/simple/ */
  indexUrl: string;
  /** CA bundle for an https index, or null. */
  certPath: string | null;
  /**
   * Debian's system Python is "externally managed" (PEP 668) and dist-packages belongs to root:
   * without a venv, installs go to the person's user site (`--user --break-system-packages`).
   */
  userSite: boolean;
}

/** The generated pip.conf: one [global] section, every list option that could add a source emptied. */
export function renderPipConf(input: PipSettingsInput): string {
  const lines = [
    '# Written by the Bulwark hub for this server: pip resolves from the package channel only.',
    '[global]',
    `index-url = ${input.indexUrl}`,
    'extra-index-url =',
    'find-links =',
    'constraint =',
    'only-binary = :all:',
    'no-input = true',
  ];
  if (input.certPath !== null) lines.push(`cert = ${input.certPath}`);
  if (input.userSite) {
    lines.push('', '[install]', 'user = true', 'break-system-packages = true');
  }
  return `${lines.join('\n')}\n`;
}

/** Environment variables of the server (and of every pip it runs). */
export function pipEnvironment(input: PipSettingsInput, configPath: string): Record<string, string> {
  const env: Record<string, string> = {
    PIP_CONFIG_FILE: configPath,
    PIP_INDEX_URL: input.indexUrl,
    PIP_ONLY_BINARY: ':all:',
    // Whitespace, unlike an empty value, reaches pip and splits into an empty list.
    PIP_EXTRA_INDEX_URL: ' ',
    PIP_FIND_LINKS: ' ',
    PIP_CONSTRAINT: ' ',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
  if (input.certPath !== null) env.PIP_CERT = input.certPath;
  if (input.userSite) {
    env.PIP_USER = '1';
    env.PIP_BREAK_SYSTEM_PACKAGES = '1';
  }
  return env;
}
