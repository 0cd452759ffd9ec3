package run.codetether.router.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import run.codetether.router.domain.ModelState;
import run.codetether.router.infra.RouterRuntime;

/**
 * Readiness stays UP without a model (the fast path still serves, and callers fall back on routed=false); the
 * check's data says {@code router: ready|degraded} and why, so dashboards and alerts can see a missing model.
 */
@Readiness
@ApplicationScoped
public class RouterHealthCheck implements HealthCheck {

    private final RouterRuntime runtime;

    public RouterHealthCheck(RouterRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("tool-router").up();
        if (runtime.state() instanceof ModelState.Unavailable u) {
            return response.withData("router", "degraded").withData("reason", u.reason()).build();
        }
        RouterRuntime.Info info = runtime.info();
        return response.withData("router", "ready")
                .withData("device", info.device())
                .withData("executionProvider", info.executionProvider())
                .withData("warm", info.warm())
                .build();
    }
}
