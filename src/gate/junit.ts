import type { GateCheck, Verdict } from '../summary/schema.ts';
import { formatValue } from './metrics.ts';
import { formatThreshold } from './table.ts';

// XML 1.0 forbids most control characters even when escaped; run errors may carry them.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function failureMessage(c: GateCheck): string {
  return `${c.run}: ${c.metric} = ${formatValue(c.metric, c.value)}, expected ${formatThreshold(c)}${c.detail ? ` (${c.detail})` : ''}`;
}

function testcase(c: GateCheck, suite: string): string {
  const open = `    <testcase classname="${escapeXml(`${suite}.${c.run}`)}" name="${escapeXml(c.name)}" time="0"`;
  if (c.status === 'pass') return `${open}/>`;
  if (c.status === 'not-measured') return `${open}>\n      <skipped message="${escapeXml(c.detail ?? 'not measured')}"/>\n    </testcase>`;
  // JUnit has no warning: a non-blocking failure is reported as skipped, with its message.
  if (c.status === 'warn') return `${open}>\n      <skipped message="${escapeXml(`warn (non-blocking): ${failureMessage(c)}`)}"/>\n    </testcase>`;
  const message = failureMessage(c);
  return `${open}>\n      <failure message="${escapeXml(message)}" type="${c.source === 'baseline' ? 'regression' : c.source === 'run' ? 'run' : 'threshold'}">${escapeXml(message)}</failure>\n    </testcase>`;
}

/** JUnit XML: one testcase per check, so CI shows each check; a failure carries its message. */
export function toJUnitXml(verdict: Verdict, suite = 'ragbench-gate'): string {
  const failures = verdict.checks.filter((c) => c.status === 'fail').length;
  const skipped = verdict.checks.filter((c) => c.status === 'not-measured' || c.status === 'warn').length;
  const head = `  <testsuite name="${escapeXml(suite)}" tests="${verdict.checks.length}" failures="${failures}" errors="0" skipped="${skipped}">`;
  const props = verdict.warnings.length
    ? [`    <system-out>${escapeXml(verdict.warnings.join('\n'))}</system-out>`]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suite)}" tests="${verdict.checks.length}" failures="${failures}">`,
    head,
    ...verdict.checks.map((c) => testcase(c, suite)),
    ...props,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
