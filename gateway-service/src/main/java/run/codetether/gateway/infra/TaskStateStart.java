package run.codetether.gateway.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.kafka.KafkaTaskLog;
import run.codetether.gateway.infra.kafka.KafkaTaskStateSync;
import run.codetether.gateway.infra.kafka.TaskStateLookups;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The task half of a gateway's start, as {@link GatewayBeans} runs it and {@code bench/gateway-store-bench} measures
 * it: the store file opens, the producers are created and the Kafka lookups run at the same time, each on a thread
 * of its own, and the view then catches up with the log ({@link KafkaTaskStateSync#start}). None of these steps grows
 * with the stored tasks on a warm restart; they are class loading, JIT and the Kafka clients' first metadata, all
 * CPU: on a busy machine, threads side by side get a larger share of it than one after the other.
 *
 * <p>A step that fails fails the start with its own error, after the others ended, and what they made is closed.
 */
public final class TaskStateStart {
    private TaskStateStart() {}

    /** What a start made; the caller closes them (sync, log, store) when it stops. */
    public record Parts(MvTaskStore store, TaskView view, KafkaTaskLog log, KafkaTaskStateSync sync) {}

    /** The settings a start reads. */
    public record Settings(String instanceId, Path storeDir, int storeCacheMb, Duration sendTimeout,
            Duration catchUpTimeout, Duration coldReadTimeout, Duration stateHold) {
        /** With the default hold of {@code tasks.state} writes ({@link KafkaTaskLog}). */
        public Settings(String instanceId, Path storeDir, int storeCacheMb, Duration sendTimeout,
                Duration catchUpTimeout, Duration coldReadTimeout) {
            this(instanceId, storeDir, storeCacheMb, sendTimeout, catchUpTimeout, coldReadTimeout,
                    run.codetether.gateway.infra.kafka.TaskStateWriter.DEFAULT_HOLD);
        }
    }

    /**
     * Opens the store, creates the task log and reads the log until the view has caught up.
     *
     * @param topics run before the lookups (creates the task topics when the gateway is told to), beside the store
     *     and the producers
     * @param viewOf the view over the opened store (its cache and listeners are the caller's)
     */
    public static Parts start(KafkaClients kafka, LoopHealth loops, Settings s, Runnable topics,
            Function<TaskStore, TaskView> viewOf) {
        CompletableFuture<MvTaskStore> store = async("gateway-store-open-" + s.instanceId(),
                () -> MvTaskStore.open(s.storeDir(), s.storeCacheMb()));
        CompletableFuture<KafkaTaskLog> log = async("gateway-task-log-" + s.instanceId(),
                () -> new KafkaTaskLog(kafka, s.instanceId(), s.sendTimeout(), s.stateHold()));
        TaskStateLookups lookups = null;
        TaskView view;
        try {
            topics.run();
            lookups = TaskStateLookups.begin(kafka, s.instanceId(), s.catchUpTimeout());
            view = viewOf.apply(join(store));
            join(log);
        } catch (RuntimeException | Error e) {
            if (lookups != null) {
                lookups.close();
            }
            closeWhenMade(store, MvTaskStore::close);
            closeWhenMade(log, KafkaTaskLog::close);
            throw e;
        }
        KafkaTaskStateSync sync = new KafkaTaskStateSync(kafka, loops, s.instanceId(), view, log.join().stateWriter(),
                (e, t) -> { }, Duration.ofSeconds(1));
        try {
            sync.start(lookups, s.catchUpTimeout(), s.coldReadTimeout());
        } catch (RuntimeException e) {
            sync.close();
            log.join().close();
            store.join().close();
            throw e;
        }
        return new Parts(store.join(), view, log.join(), sync);
    }

    /** {@code work} on a platform thread of its own (a start's steps are CPU and blocking calls, a few of them). */
    static <T> CompletableFuture<T> async(String name, Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** The step's result; its own failure rethrown as it was (an Error too), after waiting for it. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the gateway started", e);
        }
    }

    private static <T> void closeWhenMade(CompletableFuture<T> f, java.util.function.Consumer<T> close) {
        f.thenAccept(close);
    }
}
