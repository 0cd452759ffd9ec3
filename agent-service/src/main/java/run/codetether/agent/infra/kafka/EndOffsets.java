package run.codetether.agent.infra.kafka;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;

/**
 * The ends of the sessions topic's partitions for session loads, asked of the broker in ONE request for every load
 * that waits at the time. Why: {@code KafkaAdminClient} sends one call per broker at a time, so 64 runs starting at
 * once asked for their partition's end in 64 calls, each waiting for the calls before it, one broker round trip
 * apiece (issue 18: the agent's run start, dispatched -> WORKING, was 949 ms p50 at 64 concurrent tasks against
 * 10-46 ms at 1 and 8). Now a start waits for at most the request in flight and the next one.
 *
 * <p>A lookup is never answered by a request sent before it began: a save acknowledged before a load started (by this
 * replica or another) must be within the end the load reads up to. So a lookup that arrives while a request is in
 * flight joins the batch asked next, which goes out as soon as that request returns.
 *
 * <p>Thread-safe; nothing blocks here (the lock guards two fields): callers wait on the returned future, so an
 * interrupted caller (a canceled run) leaves the batch it joined to the others.
 */
final class EndOffsets {
    /** Asks the broker for the ends of the given partitions (one request, answered asynchronously). */
    @FunctionalInterface
    interface Source {
        CompletionStage<Map<TopicPartition, Long>> ends(Set<TopicPartition> partitions);
    }

    private static final class Batch {
        final Set<TopicPartition> partitions = new HashSet<>();
        final CompletableFuture<Map<TopicPartition, Long>> answer = new CompletableFuture<>();
    }

    private final Source source;
    private final ReentrantLock lock = new ReentrantLock();
    /** The lookups that arrived while a request was in flight; asked when it returns. Guarded by lock. */
    private Batch collecting;
    /** Whether a request is in flight. Guarded by lock. */
    private boolean asking;

    EndOffsets(Source source) {
        this.source = source;
    }

    /** The partition's end, from a request sent after this call began. */
    CompletableFuture<Long> end(TopicPartition tp) {
        Batch mine;
        Batch toAsk = null;
        lock.lock();
        try {
            if (collecting == null) {
                collecting = new Batch();
            }
            mine = collecting;
            mine.partitions.add(tp);
            if (!asking) {
                asking = true;
                toAsk = collecting;
                collecting = null;
            }
        } finally {
            lock.unlock();
        }
        if (toAsk != null) {
            ask(toAsk);
        }
        return mine.answer.thenApply(ends -> {
            Long end = ends.get(tp);
            if (end == null) {
                throw new IllegalStateException("the broker's answer has no end offset for " + tp);
            }
            return end;
        });
    }

    /** Sends one batch; when it returns, the batch collected meanwhile goes out before this one's callers go on. */
    private void ask(Batch batch) {
        CompletionStage<Map<TopicPartition, Long>> sent;
        try {
            sent = source.ends(Set.copyOf(batch.partitions));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ends, error) -> {
            Batch next;
            lock.lock();
            try {
                next = collecting;
                collecting = null;
                asking = next != null;
            } finally {
                lock.unlock();
            }
            if (next != null) {
                ask(next);
            }
            if (error != null) {
                batch.answer.completeExceptionally(error);
            } else {
                batch.answer.complete(ends);
            }
        });
    }
}
