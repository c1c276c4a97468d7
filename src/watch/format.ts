import type { PollReport } from './watcher.ts';

const fmt = (metric: string, v: number): string => (metric === 'p95_latency_seconds' ? `${(v * 1000).toFixed(1)} ms` : v.toFixed(3));

/**
 * One line per poll: the time, then every rule's state, value, threshold, samples and breaches
 * in a row, e.g. `12:00:30 poll 4 | p95-latency BREACH 412.3 ms > 300.0 ms n=88 (1/2) | ...`.
 */
export function formatPoll(r: PollReport): string {
  const time = new Date(r.at).toISOString().slice(11, 19);
  const head = r.reachable ? `${time} poll ${r.poll}` : `${time} poll ${r.poll} UNREACHABLE ${r.unreachableSeconds.toFixed(1)} s (${r.error ?? ''})`;
  const rules = r.statuses.map((s) => {
    const limit = `${s.comparison === 'above' ? '>' : '<'} ${fmt(s.metric, s.threshold)}`;
    if (s.state === 'insufficient') return `${s.trigger} insufficient data (${s.reason ?? ''})`;
    const value = s.value === null ? '-' : fmt(s.metric, s.value);
    const test = s.test ? ` p=${s.test.pValue.toPrecision(2)}` : '';
    return `${s.trigger} ${s.state === 'breach' ? 'BREACH' : 'ok'} ${value} (fires ${limit}) n=${s.samples}${test}${s.state === 'breach' ? ` (${s.streak}/${s.needed})` : ''}`;
  });
  const extra = [
    ...(r.canaryError ? [`canary failed: ${r.canaryError}`] : []),
    ...(r.cooldownSeconds > 0 && !r.fired ? [`cooldown ${Math.ceil(r.cooldownSeconds)} s`] : []),
    ...(r.fired ? [`FIRED ${r.fired.trigger}: rollback ${r.fired.action.ok ? 'ok' : 'FAILED'}${r.fired.action.command ? ` (exit ${r.fired.action.command.exitCode ?? r.fired.action.command.signal ?? 'none'})` : ''}`] : []),
  ];
  return [head, ...rules, ...extra].join(' | ');
}
