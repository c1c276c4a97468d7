import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type AttributeValue,
  context,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  trace,
  type Tracer,
} from '@opentelemetry/api';

export interface RecordedSpan {
  name: string;
  spanId: string;
  traceId: string;
  parentSpanId: string | undefined;
  attributes: Attributes;
  startMs: number;
  endMs: number | undefined;
  status: SpanStatus | undefined;
}

function ms(t: TimeInput | undefined): number {
  if (t === undefined) return Date.now();
  if (typeof t === 'number') return t;
  if (t instanceof Date) return t.getTime();
  return t[0] * 1000 + t[1] / 1e6;
}

/**
 * A tracer that keeps every span it makes, in memory: what an SDK's in-memory exporter would
 * collect, without the SDK (the project depends on the OpenTelemetry API only).
 */
export class RecordingTracer implements Tracer {
  readonly spans: RecordedSpan[] = [];

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = trace.getSpan(ctx)?.spanContext();
    const record: RecordedSpan = {
      name,
      spanId: randomBytes(8).toString('hex'),
      traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
      parentSpanId: parent?.spanId,
      attributes: { ...options.attributes },
      startMs: ms(options.startTime),
      endMs: undefined,
      status: undefined,
    };
    this.spans.push(record);
    const spanContext: SpanContext = { traceId: record.traceId, spanId: record.spanId, traceFlags: 1 };
    const span: Span = {
      spanContext: () => spanContext,
      setAttribute: (key: string, value: AttributeValue) => {
        record.attributes[key] = value;
        return span;
      },
      setAttributes: (a: Attributes) => {
        Object.assign(record.attributes, a);
        return span;
      },
      addEvent: () => span,
      addLink: () => span,
      addLinks: () => span,
      setStatus: (status: SpanStatus) => {
        record.status = status;
        return span;
      },
      updateName: (n: string) => {
        record.name = n;
        return span;
      },
      end: (t?: TimeInput) => {
        record.endMs = ms(t);
      },
      isRecording: () => record.endMs === undefined,
      recordException: () => undefined,
    };
    return span;
  }

  startActiveSpan(): never {
    throw new Error('RecordingTracer: startActiveSpan is not used by the service');
  }
}
