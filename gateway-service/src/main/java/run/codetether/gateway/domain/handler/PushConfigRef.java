package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.TenantScoped;

/**
 * One push notification config of a task: the parameters of Get/DeleteTaskPushNotificationConfig.
 *
 * @param tenant A2A 1.0 tenant, or null
 */
public record PushConfigRef(String taskId, String id, String tenant) implements TenantScoped<PushConfigRef> {
    public PushConfigRef {
        TaskRef.requireId(taskId, "taskId");
        TaskRef.requireId(id, "id");
    }

    @Override
    public PushConfigRef withTenant(String newTenant) {
        return new PushConfigRef(taskId, id, newTenant);
    }
}
