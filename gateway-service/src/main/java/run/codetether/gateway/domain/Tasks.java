package run.codetether.gateway.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Task;

/** Helpers over tasks: visibility, history trimming, and the metadata a client may see. */
public final class Tasks {
    /**
     * Metadata keys the platform keeps for itself; bindings never show them to clients. The gateway's own facts are
     * typed now ({@link Task#submission()}); this stays as a guard for whatever still carries such a key.
     */
    public static final String INTERNAL_PREFIX = "codetether.";

    private Tasks() {}

    /** The last {@code historyLength} messages (spec 3.2.4: null = all, 0 = none). */
    public static Task trimHistory(Task task, Integer historyLength) {
        if (historyLength == null || task.history().size() <= historyLength) {
            return task;
        }
        List<run.codetether.contracts.a2a.Message> h = task.history();
        return task.withHistory(h.subList(h.size() - historyLength, h.size()));
    }

    /**
     * The task as a client sees it: the gateway's own metadata keys removed and the history cut to the last
     * {@code historyLength} messages. Every task a binding encodes went through here, so no codec can leak them.
     */
    public static Task forClient(Task task, Integer historyLength) {
        Task trimmed = trimHistory(task, historyLength);
        Map<String, Object> shown = publicMetadata(trimmed.metadata());
        return shown == trimmed.metadata() ? trimmed : trimmed.withMetadata(shown);
    }

    public static Map<String, Object> publicMetadata(Map<String, Object> metadata) {
        if (metadata.keySet().stream().noneMatch(k -> k.startsWith(INTERNAL_PREFIX))) {
            return metadata;
        }
        Map<String, Object> out = new HashMap<>();
        metadata.forEach((k, v) -> {
            if (!k.startsWith(INTERNAL_PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Whether the caller (and the tenant it named) may see the task: in a tenant its key is bound to now (a binding
     * that no longer lists the tenant hides its tasks), and its own task or, for a key the binding names, any task
     * of that tenant (a task belongs to its tenant; an admin key reads every task). Unknown and hidden look the same.
     */
    public static boolean visible(Task task, Caller caller, String tenant) {
        return visible(task.submission() == null ? null : task.submission().owner(),
                task.submission() == null ? null : task.submission().tenant(), caller, tenant);
    }

    /** As {@link #visible(Task, Caller, String)}, from the task's owner and tenant (a stored summary). */
    public static boolean visible(String owner, String taskTenant, Caller caller, String tenant) {
        if (!caller.equals(Caller.ANONYMOUS) && owner != null && !owner.equals(caller.clientId())
                && !caller.tenants().sharesTasksOf(taskTenant)) {
            return false;
        }
        if (!caller.tenants().mayUse(taskTenant)) {
            return false;
        }
        if (tenant != null && !tenant.isEmpty()) {
            return tenant.equals(taskTenant);
        }
        return true;
    }
}
