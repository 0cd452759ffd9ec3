package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.TenantScoped;

/**
 * CreateTaskPushNotificationConfig parameters: the config (its task id set, its id optional: the gateway assigns
 * one) and the tenant.
 */
public record NewPushConfig(PushConfig config, String tenant) implements TenantScoped<NewPushConfig> {
    public NewPushConfig {
        if (config == null) {
            throw A2AException.invalidParams("a push notification config is required");
        }
        TaskRef.requireId(config.taskId(), "taskId");
    }

    @Override
    public NewPushConfig withTenant(String newTenant) {
        return new NewPushConfig(config, newTenant);
    }
}
