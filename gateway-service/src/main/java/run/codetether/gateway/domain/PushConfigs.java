package run.codetether.gateway.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Push notification config use cases. A config belongs to a task the caller can see; its URL passes the
 * {@link UrlPolicy} before it is stored. Disabled by the operator, every call answers
 * PushNotificationNotSupported (spec 3.3.4).
 */
public final class PushConfigs {
    private final boolean enabled;
    private final PushConfigStore store;
    private final UrlPolicy policy;
    private final TaskEngine engine;

    public PushConfigs(boolean enabled, PushConfigStore store, UrlPolicy policy, TaskEngine engine) {
        this.enabled = enabled;
        this.store = store;
        this.policy = policy;
        this.engine = engine;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Checks a config before its task exists (a config given with SendMessage). */
    public void precheck(PushConfig config) {
        requireEnabled();
        policy.check(config.url());
    }

    public CompletableFuture<PushConfig> create(PushConfig config, String version, Caller caller, String tenant) {
        requireEnabled();
        engine.get(config.taskId(), caller, tenant);
        policy.check(config.url());
        PushConfig stored = config.withIds(config.taskId(),
                config.id() == null || config.id().isBlank() ? UUID.randomUUID().toString() : config.id());
        return store.put(stored, version).thenApply(v -> stored);
    }

    /** For SendMessage with a config: the task was just created by this caller. */
    public CompletableFuture<PushConfig> attach(PushConfig config, String taskId, String version) {
        PushConfig stored = config.withIds(taskId,
                config.id() == null || config.id().isBlank() ? UUID.randomUUID().toString() : config.id());
        return store.put(stored, version).thenApply(v -> stored);
    }

    public PushConfig get(String taskId, String id, Caller caller, String tenant) {
        requireEnabled();
        engine.get(taskId, caller, tenant);
        if (id == null) {
            List<PushConfigStore.Stored> all = store.list(taskId);
            if (all.isEmpty()) {
                throw notFound(taskId, "(any)");
            }
            return all.get(0).config();
        }
        return store.get(taskId, id).map(PushConfigStore.Stored::config).orElseThrow(() -> notFound(taskId, id));
    }

    public List<PushConfig> list(String taskId, Caller caller, String tenant) {
        requireEnabled();
        engine.get(taskId, caller, tenant);
        return store.list(taskId).stream().map(PushConfigStore.Stored::config).toList();
    }

    public CompletableFuture<Void> delete(String taskId, String id, Caller caller, String tenant) {
        requireEnabled();
        engine.get(taskId, caller, tenant);
        if (store.get(taskId, id).isEmpty()) {
            throw notFound(taskId, id);
        }
        return store.delete(taskId, id);
    }

    private static A2AException notFound(String taskId, String id) {
        // the spec has no dedicated error for a missing config; the resource is missing, so -32001 with details
        return new A2AException(A2AError.TASK_NOT_FOUND,
                "No push notification config " + id + " for task " + taskId, Map.of("taskId", taskId, "configId", id));
    }

    private void requireEnabled() {
        if (!enabled) {
            throw new A2AException(A2AError.PUSH_NOTIFICATION_NOT_SUPPORTED,
                    "Push notifications are disabled on this gateway");
        }
    }
}
