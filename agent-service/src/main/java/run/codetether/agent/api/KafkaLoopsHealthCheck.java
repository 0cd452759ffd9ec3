package run.codetether.agent.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import run.codetether.platform.kafka.LoopHealth;

/**
 * Not ready while a platform Kafka poll loop of this replica has died (the worker registry and results readers):
 * worker-mode calls would wait for replies nobody reads. The check's data names each loop and its state.
 */
@Readiness
@ApplicationScoped
public class KafkaLoopsHealthCheck implements HealthCheck {
    public static final String NAME = "kafka-loops";

    private final LoopHealth loops;

    public KafkaLoopsHealthCheck(LoopHealth loops) {
        this.loops = loops;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).status(loops.ready());
        loops.describe().forEach(response::withData);
        return response.build();
    }
}
