import { context, type Span, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';

/**
 * Trace spans through the OpenTelemetry API only: without a registered SDK they are no-ops
 * (nothing is exported, almost nothing is spent); an application that registers a tracer
 * provider gets them. The stage spans are given the times the pipeline measured, so they are
 * exact without a context manager carrying the span through the pipeline's awaits.
 */
export const TRACER_NAME = 'ragbench-serve';

export function defaultTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** Wall-clock epoch milliseconds of a performance.now() reading (what span times take). */
export function epochMs(perfNow: number): number {
  return performance.timeOrigin + perfNow;
}

export interface StageTimes {
  /** performance.now() when the pipeline query started. */
  startedAt: number;
  embedMs: number;
  searchMs: number;
  mergeMs: number;
}

/** The root span of one POST /query. */
export function startQuerySpan(tracer: Tracer, attributes: Record<string, string | number | boolean>): Span {
  return tracer.startSpan('ragbench.query', { attributes });
}

/** Child spans embed → search → merge under `parent`, laid end to end from the measured times. */
export function recordStageSpans(tracer: Tracer, parent: Span, t: StageTimes, attributes: Record<string, string | number | boolean> = {}): void {
  const ctx = trace.setSpan(context.active(), parent);
  let at = t.startedAt;
  for (const [name, ms] of [
    ['embed', t.embedMs],
    ['search', t.searchMs],
    ['merge', t.mergeMs],
  ] as const) {
    const span = tracer.startSpan(`ragbench.${name}`, { startTime: epochMs(at), attributes: name === 'search' ? attributes : {} }, ctx);
    at += ms;
    span.end(epochMs(at));
  }
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
