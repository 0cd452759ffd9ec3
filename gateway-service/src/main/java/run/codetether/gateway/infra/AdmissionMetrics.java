package run.codetether.gateway.infra;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.ToDoubleFunction;
import run.codetether.gateway.domain.InFlightTasks;
import run.codetether.gateway.domain.handler.RequestGuard;

/**
 * Admission as operators watch it: requests refused at the door by reason
 * ({@code codetether_gateway_admission_rejected_total{reason=unauthenticated|rate_limited|client_in_flight|platform_in_flight}})
 * and the tasks in flight the caps are measured against ({@code codetether_gateway_tasks_in_flight}). The counts live
 * in the domain objects that decide; this only exports them.
 */
@ApplicationScoped
public class AdmissionMetrics {
    static final String REJECTED = "codetether.gateway.admission.rejected";
    static final String IN_FLIGHT = "codetether.gateway.tasks.in.flight";

    void register(@Observes StartupEvent ev, MeterRegistry registry, RequestGuard guard, InFlightTasks inFlight) {
        rejected(registry, "unauthenticated", guard, g -> g.refusedUnauthenticated());
        rejected(registry, "rate_limited", guard, g -> g.refusedRateLimited());
        rejected(registry, "client_in_flight", inFlight, f -> f.refusedForClient());
        rejected(registry, "platform_in_flight", inFlight, f -> f.refusedAtCapacity());
        Gauge.builder(IN_FLIGHT, inFlight, InFlightTasks::total)
                .description("Tasks submitted or working (reservations included), as admission counts them")
                .register(registry);
    }

    private static <T> void rejected(MeterRegistry registry, String reason, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(REJECTED, source, count).tag("reason", reason)
                .description("Requests refused by admission control, by reason").register(registry);
    }
}
