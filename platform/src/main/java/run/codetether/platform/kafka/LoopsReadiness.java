package run.codetether.platform.kafka;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The {@value #NAME} readiness check of a service's {@link LoopHealth}: DOWN while one of its poll loops has died
 * (it would keep its partitions, or miss what it should deliver, without consuming); the data names each loop and
 * its state. Each service produces it from its {@code infra} wiring:
 * {@code @Produces @Readiness @Singleton HealthCheck kafkaLoops(LoopHealth loops) { return new LoopsReadiness(loops); }}.
 */
public final class LoopsReadiness implements HealthCheck {
    public static final String NAME = "kafka-loops";

    private final LoopHealth loops;

    public LoopsReadiness(LoopHealth loops) {
        this.loops = loops;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).status(loops.ready());
        loops.describe().forEach(response::withData);
        return response.build();
    }
}
