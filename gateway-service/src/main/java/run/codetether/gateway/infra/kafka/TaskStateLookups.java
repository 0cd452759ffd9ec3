package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import run.codetether.platform.kafka.KafkaClients;

/**
 * The Kafka half of a task state start, which needs neither the store nor the state writer: the events tap (this
 * replica's consumer of {@code tasks.events}), the topics' ids, the events' partitions and their first offsets, run
 * on a thread of their own from {@link #begin}. A gateway opens its store and creates its producers meanwhile:
 * start-up is mostly CPU (class loading, the clients' first metadata), and on a busy machine parallel threads get a
 * larger share (bench/README.md "Gateway task store"). {@link KafkaTaskStateSync#start(TaskStateLookups, Duration,
 * Duration)} takes the result; {@link #close} releases the tap when no start took it.
 */
public final class TaskStateLookups implements AutoCloseable {
    /** The tap and what it found; the start that awaited them owns the tap. */
    record Found(KafkaConsumer<String, byte[]> tap, TaskStateRestore.Lookup found) {}

    private final long began = System.nanoTime();
    /** How long the lookups may wait out a broker that does not answer ({@code codetether.kafka.outage-budget}). */
    private final Duration outageBudget;
    private final CompletableFuture<Found> result = new CompletableFuture<>();
    /** Set once: by the start that took the tap, or by {@link #close}. No monitor: an await blocks for seconds. */
    private final AtomicBoolean taken = new AtomicBoolean();

    private TaskStateLookups(KafkaClients kafka, String instanceId, Duration timeout) {
        this.outageBudget = kafka.outageBudget();
        Thread.ofPlatform().name("task-store-lookup-" + instanceId).daemon().start(() -> {
            KafkaConsumer<String, byte[]> tap = null;
            try {
                tap = tap(kafka, instanceId);
                result.complete(new Found(tap, TaskStateRestore.lookup(kafka, instanceId, tap, timeout)));
            } catch (Throwable t) {
                if (tap != null) {
                    tap.close(Duration.ZERO);
                }
                result.completeExceptionally(t);
            }
        });
    }

    /** Begins the lookups on a thread of their own. */
    public static TaskStateLookups begin(KafkaClients kafka, String instanceId, Duration timeout) {
        return new TaskStateLookups(kafka, instanceId, timeout);
    }

    /** When the lookups began ({@link System#nanoTime}): a start's time is counted from here. */
    long began() {
        return began;
    }

    /**
     * The tap and what it found; from here the caller owns the tap. A wait that ends without it (timed out,
     * interrupted) closes the tap when it comes; lookups closed meanwhile, or taken already, are refused. The
     * lookups wait out an outage for up to the budget on top of the timeout, and so does this.
     */
    Found await(Duration timeout) {
        Found f;
        try {
            f = result.get(timeout.plus(outageBudget).toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException("the task topics were not looked up within " + timeout);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted looking up the task topics", e);
        }
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("the task topic lookups were closed or taken by another start");
        }
        return f;
    }

    /** Closes the tap when no start took it (a start that failed before it, e.g. the store did not open). */
    @Override
    public void close() {
        if (taken.compareAndSet(false, true)) {
            result.thenAccept(f -> f.tap().close(Duration.ZERO));
        }
    }

    /** This replica's consumer of {@code tasks.events} (its group: the committed positions), read_committed. */
    static KafkaConsumer<String, byte[]> tap(KafkaClients kafka, String instanceId) {
        return kafka.consumer("gateway-" + instanceId + "-events", Optional.of("codetether-gateway-" + instanceId),
                KafkaTaskStateSync.READ_COMMITTED, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
