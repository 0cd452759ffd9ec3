package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Push configs held in this process only. The default for a single replica and for tests; the Kafka-backed store
 * replaces it when configs must survive a restart and be shared by replicas.
 */
public class InMemoryPushConfigStore implements PushConfigStore {
    protected final Map<String, Map<String, Stored>> byTask = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> put(PushConfig config, String version) {
        apply(config.taskId(), config.id(), new Stored(config, version));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> delete(String taskId, String id) {
        apply(taskId, id, null);
        return CompletableFuture.completedFuture(null);
    }

    /** Applies a put (stored != null) or a delete. */
    public void apply(String taskId, String id, Stored stored) {
        if (stored == null) {
            byTask.computeIfPresent(taskId, (k, m) -> {
                m.remove(id);
                return m.isEmpty() ? null : m;
            });
        } else {
            byTask.computeIfAbsent(taskId, k -> new ConcurrentHashMap<>()).put(id, stored);
            listeners.forEach(Runnable::run); // after the put: a woken reader finds the config
        }
    }

    @Override
    public void onStored(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public boolean isEmpty() {
        return byTask.isEmpty();
    }

    @Override
    public Optional<Stored> get(String taskId, String id) {
        Map<String, Stored> m = byTask.get(taskId);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(id));
    }

    @Override
    public List<Stored> list(String taskId) {
        Map<String, Stored> m = byTask.get(taskId);
        return m == null ? List.of() : new ArrayList<>(m.values());
    }
}
