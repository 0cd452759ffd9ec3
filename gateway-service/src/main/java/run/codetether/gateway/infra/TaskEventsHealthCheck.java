package run.codetether.gateway.infra;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import run.codetether.gateway.infra.kafka.KafkaTaskStateSync;
import run.codetether.gateway.infra.kafka.TaskStateWriter;

/**
 * Not ready while the task event reader is dead (it is restarted, after a short delay): a gateway whose reader died
 * would accept tasks and answer GetTask with states that never advance. Nor while the tasks.state writer's last
 * write died (it writes again after a second): behind an unwritten task the reader commits nothing. The data says
 * why and how often each restarted. Nor while the task state is still starting (a cold read of a million tasks takes
 * minutes): the data says since when, or why a try failed and when the next begins.
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
            // the task state starts on its own thread while the servers already answer: say what it is doing
            return HealthCheckResponse.named(NAME).down().withData("reader", "not started")
                    .withData("taskState", beans.taskStateStatus()).build();
        }
        TaskStateWriter writer = beans.taskStateWriter();
        boolean writing = writer == null || writer.failure().isEmpty();
        var response = HealthCheckResponse.named(NAME).status(sync.healthy() && writing)
                .withData("restarts", sync.restarts());
        sync.failure().ifPresent(f -> response.withData("failure", f));
        if (writer != null) {
            response.withData("writerRestarts", writer.restarts());
            writer.failure().ifPresent(f -> response.withData("writerFailure", f));
        }
        return response.build();
    }
}
