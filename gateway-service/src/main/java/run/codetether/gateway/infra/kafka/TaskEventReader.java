package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * The task event reader: a platform {@link PollLoop} (reported in the service's {@link LoopHealth}) that hands each
 * poll to the {@link TaskEventFold}, and its supervisor. When the reader dies, even of an Error such as
 * OutOfMemoryError, it is started again after {@code restartDelay} with a new consumer from the committed position:
 * a dead reader would leave every task as it stands while the gateway still accepts work.
 */
final class TaskEventReader {
    /** The sync's log category, which its messages always had (log settings may name it). */
    private static final Logger LOG = Logger.getLogger(KafkaTaskStateSync.class);

    private final KafkaClients kafka;
    private final LoopHealth health;
    private final String instanceId;
    private final CatchUp caughtUp;
    private final TaskEventFold fold;
    private final Duration restartDelay;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean running = true;
    /** Why a restart could not start a new reader yet (null once one runs). */
    private volatile String restartFailure;
    private volatile PollLoop<String, byte[]> loop;
    private Thread supervisor;

    TaskEventReader(KafkaClients kafka, LoopHealth health, String instanceId, CatchUp caughtUp, TaskEventFold fold,
            Duration restartDelay) {
        this.kafka = kafka;
        this.health = health;
        this.instanceId = instanceId;
        this.caughtUp = caughtUp;
        this.fold = fold;
        this.restartDelay = restartDelay;
    }

    /** Starts reading with {@code tap} (assigned and positioned) and supervising the reader. */
    void start(KafkaConsumer<String, byte[]> tap) {
        loop = newLoop(tap).start();
        supervisor = Thread.ofPlatform().name("task-events-supervisor-" + instanceId).daemon().start(this::supervise);
    }

    private PollLoop<String, byte[]> newLoop(KafkaConsumer<String, byte[]> tap) {
        return PollLoop.builder("task-events-" + instanceId, tap)
                .pollTimeout(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(2))
                .onBatch(fold::fold)
                .onStop(fold::stop)
                .health(health)
                .build();
    }

    /**
     * Starts the reader again when it dies. Until the new reader runs, {@link #healthy()} is false (readiness DOWN).
     */
    private void supervise() {
        while (running) {
            PollLoop<String, byte[]> current = loop;
            try {
                while (!current.awaitEnd(Duration.ofSeconds(1))) {
                    if (!running) {
                        return;
                    }
                }
                if (!running || current.state() != PollLoop.State.FAILED) {
                    return;
                }
                LOG.errorf("task event reader died (readiness DOWN until it restarts in %s): %s", restartDelay,
                        current.status().failure().orElse("?"));
                restart();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void restart() throws InterruptedException {
        while (running) {
            Thread.sleep(restartDelay);
            try {
                KafkaConsumer<String, byte[]> tap = TaskStateLookups.tap(kafka, instanceId);
                tap.assign(caughtUp.partitions());
                synchronized (this) {
                    if (!running) {
                        tap.close(Duration.ZERO);
                        return;
                    }
                    restarts.incrementAndGet();
                    loop = newLoop(tap).start();
                }
                restartFailure = null;
                LOG.infof("task event reader restarted (restart %d)", restarts.get());
                return;
            } catch (Throwable e) {
                restartFailure = e.toString();
                LOG.errorf("task event reader cannot restart yet: %s", restartFailure);
            }
        }
    }

    /**
     * Whether the reader runs: caught up once and not dead (a reader that died is restarted; it counts as healthy
     * again once the new one runs), and the store's checkpoints are written (false from a failed one, or the
     * checkpoint thread's end, until one succeeds).
     */
    boolean healthy() {
        PollLoop<String, byte[]> l = loop;
        StoreCheckpointer c = fold.checkpoints();
        return caughtUp.reached() && running && restartFailure == null && l != null
                && l.state() == PollLoop.State.RUNNING && (c == null || c.failure().isEmpty());
    }

    /** Why the reader is not running, if it died; empty while it runs. */
    Optional<String> failure() {
        String r = restartFailure;
        if (r != null) {
            return Optional.of(r);
        }
        PollLoop<String, byte[]> l = loop;
        if (l != null && l.state() == PollLoop.State.FAILED) {
            return l.status().failure();
        }
        StoreCheckpointer c = fold.checkpoints();
        return c == null ? Optional.empty() : c.failure();
    }

    /** How often the reader was restarted after dying. */
    int restarts() {
        return restarts.get();
    }

    /** Stops the reader (its stop saves the last checkpoint and commits) and its supervisor; no restart after. */
    void close() {
        synchronized (this) {
            running = false; // no restart after this
        }
        if (supervisor != null) {
            supervisor.interrupt();
        }
        PollLoop<String, byte[]> l = loop;
        if (l != null) {
            l.close();
        }
        if (supervisor != null) {
            try {
                supervisor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
