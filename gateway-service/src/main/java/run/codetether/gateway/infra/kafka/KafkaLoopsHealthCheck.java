package run.codetether.gateway.infra.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import run.codetether.platform.kafka.LoopHealth;

/**
 * Not ready while a Kafka poll loop of this replica has died (task events, push configs, push delivery, worker
 * registry and calls): it would keep its partitions, or miss what it should deliver, without consuming. The task
 * event reader is started again after a death (its own check, {@code task-events}, counts the restarts). The
 * check's data names each loop and its state.
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
