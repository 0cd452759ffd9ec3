package run.codetether.tools.infra.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Tool-call latency as a Prometheus histogram: the dashboard and alert rules read p50/p99 from the
 * {@code grpc_server_processing_duration_seconds_bucket} series, which a plain timer does not export.
 */
@ApplicationScoped
public class ToolCallHistograms {
    static final String GRPC_SERVER = "grpc.server.processing.duration";

    @Produces
    @Singleton
    MeterFilter toolCallHistograms() {
        return filter();
    }

    static MeterFilter filter() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(GRPC_SERVER)) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
            }
        };
    }
}
