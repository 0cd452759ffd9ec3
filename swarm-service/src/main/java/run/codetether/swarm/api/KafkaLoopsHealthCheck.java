package run.codetether.swarm.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Not ready while a Kafka poll loop of this replica has died (commands, task events, swarm state, cognition): it
 * would keep its partitions without consuming them. The check's data names each loop and its state.
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
        for (PollLoop.Status s : loops.statuses()) {
            response.withData(s.name(), s.state().name().toLowerCase() + s.failure().map(f -> ": " + f).orElse(""));
        }
        return response.build();
    }
}
