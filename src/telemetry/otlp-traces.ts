import type { EventBus } from '../events/event-bus.js';
import { RALEX_VERSION } from '../version.js';
import type { TraceConfig } from './trace-config.js';

const SHUTDOWN_WAIT_MS = 2_000;

/** Traces being sent: `shutdown` sends what is left and stops. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Starts sending the bus's commands as OpenTelemetry traces to an OTLP/HTTP endpoint (batched;
 * a collector that is down loses spans, never a command). The SDK is loaded only here, so a
 * Ralex without `OTEL_EXPORTER_OTLP_*` set never loads it.
 */
export async function startTracing(config: TraceConfig, bus: EventBus): Promise<Tracing> {
  const [
    { BasicTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    events,
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('./trace-events.js'),
  ]);
  const exporter = new OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: 5_000 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': config.serviceName,
      'service.version': RALEX_VERSION,
    }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
  });
  const unsubscribe = bus.subscribe(events.createEventTracer(provider.getTracer('ralex', RALEX_VERSION)));
  return {
    async shutdown() {
      unsubscribe();
      // A collector that is down must not hold up `ralex run`'s exit: wait at most 2 s for the last batch.
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<'late'>((r) => {
        timer = setTimeout(() => r('late'), SHUTDOWN_WAIT_MS);
      });
      const done = provider.shutdown().then(
        () => 'sent' as const,
        (error: Error) => {
          console.error('ralex: sending the last traces failed:', error.message);
          return 'failed' as const;
        },
      );
      if ((await Promise.race([done, waited])) === 'late')
        console.error(
          'ralex: the trace collector did not take the last traces within 2 s; they are dropped.',
        );
      clearTimeout(timer);
    },
  };
}
