// OpenTelemetry for every khoj service. Started before the app is imported. Exporters come from
// the standard OTEL_* variables and default to none, so that a service with no collector never
// retries against one. W3C trace context is carried on every request between services, and
// through the hub's store-and-forward, so one trace id follows a report across the border.
import { context, propagation, type Span, SpanKind, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

export function startTracing(serviceName: string): void {
  if (sdk) return;
  process.env.OTEL_TRACES_EXPORTER ??= 'none';
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  process.env.OTEL_SERVICE_NAME ??= serviceName;
  sdk = new NodeSDK({ serviceName: process.env.OTEL_SERVICE_NAME, instrumentations: [] });
  sdk.start();
}

/** Flushes and stops the SDK so that spans of a stopping service are not lost. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}

export const tracer = () => trace.getTracer('khoj');

/** The W3C `traceparent` of the active span, to store beside work that continues later. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Headers that carry the active trace context to another service. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs `work` in a span whose parent is the stored or received `traceparent` (or the active
 * context when there is none), ending the span and recording a failure.
 */
export async function inSpan<T>(
  name: string,
  options: {
    traceparent?: string | undefined;
    kind?: SpanKind;
    attributes?: Record<string, string | number>;
  },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.traceparent
    ? propagation.extract(context.active(), { traceparent: options.traceparent })
    : context.active();
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: 2 });
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind };
