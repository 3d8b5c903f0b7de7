import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChannelAdminFinding, ChannelAdminReport } from '../channel-admin-port.js';
import { renderChannelReport, waivableNames } from './admin-channel-report.js';

const finding = (over: Partial<ChannelAdminFinding>): ChannelAdminFinding => ({
  code: 'NAME_TYPOSQUAT',
  severity: 'high',
  message: 'close to requests',
  blocking: true,
  waived: null,
  wouldBlock: false,
  waivable: ['NAME_TYPOSQUAT'],
  ...over,
});

const report = (findings: ChannelAdminFinding[]): ChannelAdminReport => ({
  status: findings.some((f) => f.blocking) ? 'rejected' : 'vetted',
  dryRun: false,
  startedAt: '2026-11-23T07:00:00.000Z',
  steps: [{ name: 'names', status: findings.some((f) => f.blocking) ? 'fail' : 'pass', error: null, findings }],
});

test('every finding shows code, severity, verdict and message; text from the wheel is escaped', () => {
  const out = renderChannelReport(report([finding({ message: '<script>alert(1)</script> in "setup"' }), finding({ code: 'POLICY_AGE', severity: 'low', blocking: false, waivable: [] })])).value;
  assert.match(out, /id="report-status">rejected</);
  assert.match(out, /data-code="NAME_TYPOSQUAT" data-blocking="yes">[^]*<td>high<\/td>[^]*blocks[^]*&lt;script&gt;alert\(1\)&lt;\/script&gt; in &quot;setup&quot;/);
  assert.match(out, /data-code="POLICY_AGE" data-blocking="no">[^]*does not block/);
  assert.doesNotMatch(out, /<script>/);
});

test('a waived finding says until when and why; a report without findings says so', () => {
  const waived = renderChannelReport(report([finding({ blocking: false, waived: { reason: 'reviewed', expiresAt: '2026-12-01' } })])).value;
  assert.match(waived, /waived until 2026-12-01: reviewed/);
  assert.match(renderChannelReport(report([])).value, /id="no-findings"/);
  assert.match(renderChannelReport(null).value, /not been vetted yet/);
});

test('the approve form offers the waivable names of blocking findings, each once', () => {
  const r = report([finding({ code: 'VULN_KNOWN', waivable: ['VULN_KNOWN', 'PYSEC-2021-66', 'CVE-2020-28493'] }), finding({ code: 'VULN_KNOWN', waivable: ['VULN_KNOWN'] })]);
  assert.deepEqual(waivableNames(r), ['VULN_KNOWN', 'PYSEC-2021-66', 'CVE-2020-28493']);
  assert.deepEqual(waivableNames(null), []);
});
