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

    /** A config and the A2A version its client speaks (which payload shape it gets). */
    record Stored(PushConfig config, String version) {}
}
