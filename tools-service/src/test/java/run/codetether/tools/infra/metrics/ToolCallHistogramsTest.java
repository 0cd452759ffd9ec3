package run.codetether.tools.infra.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ToolCallHistogramsTest {
    @Test
    void grpcServerDurationsAreExportedAsHistogramBucketsAndOtherTimersAreNot() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(ToolCallHistograms.filter());
        Timer.builder(ToolCallHistograms.GRPC_SERVER).tag("method", "Execute").register(registry)
                .record(Duration.ofMillis(12));
        Timer.builder("something.else").register(registry).record(Duration.ofMillis(12));
        String scrape = registry.scrape();
        assertTrue(scrape.contains("grpc_server_processing_duration_seconds_bucket{"), scrape);
        assertFalse(scrape.contains("something_else_seconds_bucket"), scrape);
    }
}
