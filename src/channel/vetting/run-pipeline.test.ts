import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryAdvisoryLookup } from '../advisories/advisory.js';
import { finding } from './finding.js';
import { runVettingPipeline } from './run-pipeline.js';
import { defaultVettingPolicy } from './vetting-policy.js';
import type { VettingContext, VettingStep } from './vetting-step.js';
import { writeZip } from './zip/index.js';

const context: VettingContext = { policy: defaultVettingPolicy(), advisories: memoryAdvisoryLookup([]), knownProjects: new Set(), waivers: [], now: new Date() };
const file = { filename: 'demo-1.0-py3-none-any.whl', bytes: writeZip([{ name: 'a.py', data: 'x' }]) };

test('a throwing or rejecting step is an error result; every later step still runs', async () => {
  const ran: string[] = [];
  const steps: VettingStep[] = [
    { name: 'throws', run: () => { ran.push('throws'); throw new Error('boom'); } },
    { name: 'rejects', run: async () => { ran.push('rejects'); throw new TypeError('bad'); } },
    { name: 'warns', run: async () => { ran.push('warns'); return { findings: [finding('WEAKNESS_PLAIN_HTTP', 'w', {}, { blocking: false })] }; } },
    { name: 'passes', run: async () => { ran.push('passes'); return { findings: [] }; } },
  ];
  const report = await runVettingPipeline(file, steps, context);
  assert.deepEqual(ran, ['throws', 'rejects', 'warns', 'passes']);
  assert.deepEqual(report.steps.map((s) => s.status), ['error', 'error', 'warn', 'pass']);
  assert.equal(report.steps[0]?.error, 'boom');
  assert.equal(report.steps[0]?.findings[0]?.code, 'STEP_ERROR');
  assert.equal(report.status, 'rejected', 'an error fails closed');
});

test('an unreadable archive never throws out of the pipeline', async () => {
  const report = await runVettingPipeline({ filename: 'x-1.0-py3-none-any.whl', bytes: Buffer.from('garbage') }, [
    { name: 'needs-archive', run: async (wheel) => { wheel.requireArchive(); return { findings: [] }; } },
  ], context);
  assert.equal(report.steps[0]?.status, 'error');
  assert.match(report.steps[0]?.error ?? '', /archive unreadable/);
});
