package run.codetether.gateway.infra;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@value #NAME}: DOWN while the last run of any of the gateway's scheduled tasks (the no-agent watchdog,
 * the tenant bindings file reloader) failed, naming the schedule and its failure; UP again once a later run of it
 * completes ({@link ScheduledRun}). The data lists each schedule's run count.
 */
@Readiness
@Default // besides @Readiness (a qualifier): the schedules inject it to be watched
@ApplicationScoped
public class ScheduledRunsHealthCheck implements HealthCheck {
    public static final String NAME = "scheduled-runs";

    private final List<ScheduledRun> runs = new CopyOnWriteArrayList<>();

    /** Watches {@code run} from now on; returns it. */
    public ScheduledRun watch(ScheduledRun run) {
        runs.add(run);
        return run;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).up();
        for (ScheduledRun r : runs) {
            response.withData(r.name() + ".runs", r.runs());
            r.failure().ifPresent(f -> response.down().withData(r.name(), "last run failed: " + f.describe()));
        }
        return response.build();
    }
}
