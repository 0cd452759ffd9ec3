package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Partition ends (last stable offsets) for session loads, asked of the admin client in rounds: the loads that ask
 * while a round is in flight join the next round, which asks for all their partitions in one request per broker. The
 * admin client keeps one request in flight per broker, so with one request per load every load queued behind every
 * other load's round trip: during one tenant's flood another tenant's load waited 0.8-0.9 s there for the flood's
 * loads (issue 19). In rounds a load waits for at most the round in flight and its own, however many loads run.
 *
 * <p>Each answer comes from a request sent after the load asked, so a load still sees every save acknowledged before
 * it began. Thread-safe; the lock is held for set operations only, never across a broker call.
 */
final class EndOffsets {
    private final Admin admin;
    /** How long one round may take at the broker: no longer than a load waits for it. */
    private final Duration roundTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    /** The round loads join now (not sent yet), or null; guarded by lock. */
    private Round collecting;
    /** Whether a round is at the broker; guarded by lock. */
    private boolean inFlight;

    /** The partitions one request asks for, and that request once sent. */
    private static final class Round {
        final Set<TopicPartition> partitions = new HashSet<>();
        final CompletableFuture<ListOffsetsResult> sent = new CompletableFuture<>();
    }

    EndOffsets(Admin admin, Duration roundTimeout) {
        this.admin = admin;
        this.roundTimeout = roundTimeout;
    }

    /**
     * The partition's end, read by a request sent after this call.
     *
     * @throws ExecutionException the broker's answer was an error (its cause)
     * @throws TimeoutException no answer within {@code timeout}
     */
    long of(TopicPartition tp, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Round mine;
        boolean sendNow;
        lock.lock();
        try {
            if (collecting == null) {
                collecting = new Round();
            }
            mine = collecting;
            mine.partitions.add(tp);
            sendNow = !inFlight;
            if (sendNow) {
                inFlight = true;
                collecting = null;
            }
        } finally {
            lock.unlock();
        }
        if (sendNow) {
            send(mine);
        }
        ListOffsetsResult result = mine.sent.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        return result.partitionResult(tp).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                .offset();
    }

    private void send(Round round) {
        ListOffsetsResult result;
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            round.partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            result = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                    .timeoutMs((int) roundTimeout.toMillis()));
        } catch (RuntimeException e) { // a closed admin client: every load of the round hears it
            round.sent.completeExceptionally(e);
            next();
            return;
        }
        round.sent.complete(result);
        result.all().whenComplete((answer, error) -> next());
    }

    /** The round at the broker answered (or failed): the loads that asked meanwhile go out together. */
    private void next() {
        Round round;
        lock.lock();
        try {
            round = collecting;
            collecting = null;
            inFlight = round != null;
        } finally {
            lock.unlock();
        }
        if (round != null) {
            send(round);
        }
    }
}
