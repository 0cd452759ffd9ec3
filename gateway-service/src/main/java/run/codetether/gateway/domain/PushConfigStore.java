package run.codetether.gateway.domain;

import java.util.List;
import java.util.Optional;

/** Port: the push notification configs of every task, shared by every replica and kept across restarts. */
public interface PushConfigStore {

    /** Stores (or replaces, by task and id) a config; completes once it is durable. */
    java.util.concurrent.CompletableFuture<Void> put(PushConfig config, String version);

    java.util.concurrent.CompletableFuture<Void> delete(String taskId, String id);

    Optional<Stored> get(String taskId, String id);

    List<Stored> list(String taskId);

    /**
     * Whether no task has a config (this replica's view): the push reader then reads no events at all (issue 18),
     * since each would be skipped.
     */
    boolean isEmpty();

    /**
     * Runs {@code listener} after each config this replica stores or learns of from another replica, on the thread
     * that stored it: the push reader, asleep while no config exists, wakes on it (issue 18). Must return quickly.
     */
    void onStored(Runnable listener);

    /** A config and the A2A version its client speaks (which payload shape it gets). */
    record Stored(PushConfig config, String version) {}
}
