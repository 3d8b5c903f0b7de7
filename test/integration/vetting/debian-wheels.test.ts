// Real wheels built by others (Debian's python3-*-whl packages) must pass every step.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryAdvisoryLookup } from '../../../src/channel/advisories/index.js';
import { blockingFindings, defaultVettingPolicy, defaultVettingSteps, runVettingPipeline } from '../../../src/channel/vetting/index.js';

const DIR = '/usr/share/python-wheels';

test('every real Debian wheel in /usr/share/python-wheels is vetted', async () => {
  assert.ok(existsSync(DIR), `${DIR} is missing: run scripts/setup.sh --test`);
  const wheels = readdirSync(DIR).filter((f) => f.endsWith('.whl'));
  assert.ok(wheels.length > 0, `${DIR} has no wheels: run scripts/setup.sh --test`);
  for (const filename of wheels) {
    const report = await runVettingPipeline({ filename, bytes: readFileSync(join(DIR, filename)) }, defaultVettingSteps(), {
      policy: defaultVettingPolicy(),
      advisories: memoryAdvisoryLookup([]),
      knownProjects: new Set(),
      waivers: [],
      now: new Date(),
    });
    assert.equal(report.status, 'vetted', `${filename}: ${JSON.stringify(blockingFindings(report), null, 1)}`);
    assert.ok(report.steps.every((s) => s.status === 'pass' || s.status === 'warn'), filename);
  }
});
