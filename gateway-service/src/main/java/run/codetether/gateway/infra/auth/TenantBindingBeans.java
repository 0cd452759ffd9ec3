package run.codetether.gateway.infra.auth;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.config.StatsConfig;
import run.codetether.gateway.domain.LiveTenantBinding;
import run.codetether.gateway.domain.TenantBinding;
import run.codetether.gateway.infra.ScheduledRunsHealthCheck;

/**
 * The one binding of clients to tenants that every door reads (through the one {@code RequestGuard}):
 * {@code auth.tenants} / {@code auth.admin-clients} and their older names under {@code stats} (a client bound
 * differently by the two fails the start), with the tenant bindings file's entries over them when
 * {@code auth.tenants-file} is set, re-read while the gateway runs ({@link TenantBindingReloader}).
 */
@ApplicationScoped
public class TenantBindingBeans {
    private TenantBindingReloader reloader;

    @Produces
    @Singleton
    LiveTenantBinding tenantBinding(GatewayConfig config, StatsConfig stats, ScheduledRunsHealthCheck health) {
        GatewayConfig.Auth auth = config.auth();
        TenantBinding configured = TenantBinding.merged(auth.adminClients().orElse(List.of()), auth.tenants(),
                stats.adminClients().orElse(List.of()), stats.tenants());
        if (auth.tenantsFile().isEmpty()) {
            return new LiveTenantBinding(configured);
        }
        reloader = new TenantBindingReloader(auth.tenantsFile().get(), auth.tenantsFileInterval(), configured);
        health.watch(reloader.scheduledRun());
        return reloader.binding();
    }

    @PreDestroy
    void stop() {
        if (reloader != null) {
            reloader.close();
        }
    }
}
