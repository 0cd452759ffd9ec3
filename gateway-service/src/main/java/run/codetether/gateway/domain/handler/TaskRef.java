package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TenantScoped;

/**
 * One task by id: the parameters of CancelTask, SubscribeToTask and ListTaskPushNotificationConfigs.
 *
 * @param tenant A2A 1.0 tenant, or null
 */
public record TaskRef(String id, String tenant) implements TenantScoped<TaskRef> {
    public TaskRef {
        requireId(id, "id");
    }

    @Override
    public TaskRef withTenant(String newTenant) {
        return new TaskRef(id, newTenant);
    }

    static void requireId(String id, String name) {
        if (id == null || id.isBlank()) {
            throw A2AException.invalidParams(name + " is required");
        }
    }
}
