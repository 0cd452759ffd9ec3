package run.codetether.gateway.infra;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import run.codetether.gateway.infra.kafka.KafkaTaskStateSync;

/**
 * Not ready while the task event reader is dead (it is restarted, after a short delay): a gateway whose reader died
 * would accept tasks and answer GetTask with states that never advance. The data says why and how often it
 * restarted.
 */
@Readiness
@ApplicationScoped
public class TaskEventsHealthCheck implements HealthCheck {
    public static final String NAME = "task-events";

    private final GatewayBeans beans;

    public TaskEventsHealthCheck(GatewayBeans beans) {
        this.beans = beans;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaTaskStateSync sync = beans.taskStateSync();
        if (sync == null) {
            return HealthCheckResponse.named(NAME).down().withData("reader", "not started").build();
        }
        var response = HealthCheckResponse.named(NAME).status(sync.healthy()).withData("restarts", sync.restarts());
        sync.failure().ifPresent(f -> response.withData("failure", f));
        return response.build();
    }
}
