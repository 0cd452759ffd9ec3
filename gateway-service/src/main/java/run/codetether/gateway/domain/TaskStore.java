package run.codetether.gateway.domain;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;

/**
 * Where this replica keeps every folded task, so that the gateway's heap holds only the tasks in progress and a few
 * recent ones ({@link TaskView}) however many tasks the log has seen. Besides each task it keeps its
 * {@link Summary} in newest-first order, which is what ListTasks filters and pages on without reading the tasks,
 * and a checkpoint (the log positions the stored state covers) so a restart reads only the log's tail.
 *
 * <p>Writes ({@link #put}, {@link #remove}) become durable together with the next {@link #checkpoint(Map)}: a
 * store read after a crash holds exactly the state of its last checkpoint, never a checkpoint ahead of its data.
 * Thread-safe.
 */
public interface TaskStore extends AutoCloseable {

    /**
     * What listing filters and orders on, kept beside each task.
     *
     * @param offset the events offset the stored task is folded to (-1: unknown)
     */
    record Summary(String id, String contextId, String tenant, String owner, TaskState state, Instant timestamp,
            long offset) {
        public static Summary of(Task task, long offset) {
            Task.Submission s = task.submission();
            return new Summary(task.id(), task.contextId(), s == null ? null : s.tenant(),
                    s == null ? null : s.owner(), task.status().state(), task.status().timestamp(), offset);
        }

        /** Whether a task in this state stays in memory: it holds an admission slot and a worker acts on it. */
        public boolean resident() {
            return TaskView.resident(state);
        }
    }

    /** The task and the offset it is folded to, if stored. */
    Optional<TaskView.Versioned> get(String taskId);

    Optional<Summary> summary(String taskId);

    /** Stores a task (replacing any earlier version). */
    void put(Task task, long offset);

    /**
     * Stores a task as read from the state topic without decoding it (the cold start reads every stored task).
     *
     * @param json the task as {@code ContractJson} writes it
     */
    void putEncoded(Summary summary, byte[] json);

    void remove(String taskId);

    /**
     * Summaries newest first (status timestamp, then id, both descending), starting after the task at
     * ({@code afterTimestamp}, {@code afterId}), or at the newest when {@code afterTimestamp} is null. Lazy: reads
     * as it is iterated.
     */
    Iterator<Summary> newestFirst(Instant afterTimestamp, String afterId);

    /** Who may see a task: its owner and tenant (either may be null). */
    record Scope(String owner, String tenant) {}

    /**
     * How many tasks are stored per owner and tenant: ListTasks' totalSize without a pass over every summary when
     * it filters on nothing else. Small (clients times tenants).
     */
    Map<Scope, Long> countsByScope();

    /** Summaries of the stored tasks that are {@link Summary#resident()} (read once at start). */
    List<Summary> resident();

    /** How many tasks are stored. */
    long size();

    /** The log positions the stored state covers (empty: a new store). */
    Map<String, Long> checkpoint();

    /**
     * Records the log positions covered (merged into the ones recorded before) and makes every write so far
     * durable with them.
     */
    void checkpoint(Map<String, Long> positions);

    /**
     * Which log the stored state was read from (e.g. the topics' ids), empty for a new store. A store whose origin
     * differs from the log's (topics recreated, another cluster) must not be used: its checkpoint means nothing there.
     */
    java.util.Optional<String> origin();

    /** Forgets every task and checkpoint and records the log the store now follows. */
    void reset(String origin);

    @Override
    void close();
}
