import { finding, type Finding } from '../finding.js';
import type { VettingStep } from '../vetting-step.js';
import { sitePackagesPath } from './site-path.js';

// site.py executes a .pth line that starts with "import" followed by a space or a tab.
const EXECUTABLE_LINE = /^import[ \t]/;
const CUSTOMIZE = /^(sitecustomize|usercustomize)(\.|\/)/;

/**
 * Start-up hooks: code Python runs at every interpreter start without being imported - `.pth`
 * files in site-packages with `import` lines, and `sitecustomize`/`usercustomize` modules.
 * `channel.policy.startup_hook_allowlist` accepts known ones as "project:path".
 */
export const startupHooksStep: VettingStep = {
  name: 'startup-hooks',
  async run(wheel, context) {
    const archive = wheel.requireArchive();
    const project = wheel.wheelName?.name ?? '';
    const allowed = new Set(context.policy.startupHookAllowlist);
    const findings: Finding[] = [];
    for (const entry of archive.entries) {
      if (entry.isDirectory) continue;
      const path = sitePackagesPath(entry.name);
      if (path === null) continue;
      const isAllowed = allowed.has(`${project}:${path}`);
      if (!path.includes('/') && path.toLowerCase().endsWith('.pth')) {
        const lines = wheel.read(entry).toString('utf8').split(/\r?\n/).filter((line) => EXECUTABLE_LINE.test(line));
        if (lines.length === 0) continue;
        const evidence = { entry: entry.name, lines: lines.slice(0, 5).map((l) => l.slice(0, 200)), allowlisted: isAllowed };
        if (isAllowed) findings.push(finding('STARTUP_PTH_EXEC', `"${path}" runs code at start-up (allowlisted)`, evidence, { severity: 'info', blocking: false }));
        else findings.push(finding('STARTUP_PTH_EXEC', `"${path}" runs code at every Python start-up`, evidence));
      } else if (CUSTOMIZE.test(path)) {
        const evidence = { entry: entry.name, allowlisted: isAllowed };
        if (isAllowed) findings.push(finding('STARTUP_CUSTOMIZE', `"${path}" is imported at start-up (allowlisted)`, evidence, { severity: 'info', blocking: false }));
        else findings.push(finding('STARTUP_CUSTOMIZE', `"${path}" is imported at every Python start-up`, evidence));
      }
    }
    return { findings };
  },
};
