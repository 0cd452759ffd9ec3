package run.codetether.gateway.infra.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.TaskView;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Keeps this replica's {@link TaskView} equal to the log and the log's state topic up to date.
 *
 * <p>At start it reads the compacted {@code tasks.state} topic to its end (every task as last written, with the
 * events offset it was folded to), then reads {@code tasks.events} from this instance's committed position (the
 * beginning for a new instance) and folds every event. Each event is folded once per replica (the view skips
 * offsets it has), every changed task is written back to {@code tasks.state}, and the position is committed only
 * after those writes are acknowledged, so a restart resumes without losing or double-applying anything. Both read
 * {@code read_committed}.
 *
 * <p>Every replica writes the same folded value for a task (folding is deterministic), so N replicas cost N
 * identical state writes that compaction collapses; no coordination between replicas is needed.
 *
 * <p>The event reader is a platform {@link PollLoop} (reported in the service's {@link LoopHealth}); when it dies,
 * even of an Error such as OutOfMemoryError, it is started again after {@code restartDelay} with a new consumer from
 * the committed position: a dead reader would leave every task as it stands while the gateway still accepts work.
 */
public final class KafkaTaskStateSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaTaskStateSync.class);
    /** Header on a state record: the offset (in the task's events partition) of the last event folded in. */
    public static final String OFFSET_HEADER = "codetether-events-offset";
    private static final Map<String, String> READ_COMMITTED = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");

    private final KafkaClients kafka;
    private final LoopHealth health;
    private final String instanceId;
    private final TaskView view;
    private final KafkaProducer<String, Object> producer;
    private final BiConsumer<TaskEvent, Task> afterFold;
    private final Duration restartDelay;
    private final CatchUp caughtUp = new CatchUp();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean running = true;
    /** Why a restart could not start a new reader yet (null once one runs). */
    private volatile String restartFailure;
    private volatile PollLoop<String, byte[]> loop;
    private Thread supervisor;

    /**
     * @param afterFold called for every event newly folded, on the reader thread (e.g. push notifications)
     */
    public KafkaTaskStateSync(String bootstrapServers, String instanceId, TaskView view,
            KafkaProducer<String, Object> producer, BiConsumer<TaskEvent, Task> afterFold) {
        this(bootstrapServers, instanceId, view, producer, afterFold, Duration.ofSeconds(1));
    }

    /** @param restartDelay how long a reader that died waits before it starts again */
    public KafkaTaskStateSync(String bootstrapServers, String instanceId, TaskView view,
            KafkaProducer<String, Object> producer, BiConsumer<TaskEvent, Task> afterFold, Duration restartDelay) {
        this(KafkaClients.forBootstrap(bootstrapServers), new LoopHealth(), instanceId, view, producer, afterFold,
                restartDelay);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaTaskStateSync(KafkaClients kafka, LoopHealth health, String instanceId, TaskView view,
            KafkaProducer<String, Object> producer, BiConsumer<TaskEvent, Task> afterFold, Duration restartDelay) {
        this.kafka = kafka;
        this.health = health;
        this.restartDelay = restartDelay;
        this.instanceId = instanceId;
        this.view = view;
        this.producer = producer;
        this.afterFold = afterFold;
    }

    /** Restores the state, starts following events and returns once the view has caught up with the log. */
    public void start(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int restored = restoreState(timeout);
        KafkaConsumer<String, byte[]> tap = newTap();
        try {
            caughtUp.assign(tap, Topics.TASKS_EVENTS, CatchUp.From.COMMITTED, timeout);
        } catch (RuntimeException e) {
            tap.close(Duration.ZERO);
            throw e;
        }
        loop = newLoop(tap).start();
        supervisor = Thread.ofPlatform().name("task-events-supervisor-" + instanceId).daemon().start(this::supervise);
        caughtUp.awaitOrFail(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1)), "task events");
        LOG.infof("task state rebuilt from Kafka: %d tasks restored from %s, %d tasks after catching up",
                restored, Topics.TASKS_STATE, view.size());
    }

    private int restoreState(Duration timeout) {
        int[] count = {0};
        try (KafkaConsumer<String, byte[]> c = kafka.consumer("gateway-" + instanceId + "-state", Optional.empty(),
                READ_COMMITTED, new StringDeserializer(), new ByteArrayDeserializer())) {
            CatchUp.readAll(c, Topics.TASKS_STATE, timeout, r -> {
                if (r.value() == null) {
                    view.remove(r.key());
                    return;
                }
                try {
                    view.restore(ContractJson.read(r.value(), Task.class), offsetOf(r));
                    count[0]++;
                } catch (RuntimeException e) {
                    LOG.warnf("skipping unreadable state record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                            e.getMessage());
                }
            });
        }
        return count[0];
    }

    private PollLoop<String, byte[]> newLoop(KafkaConsumer<String, byte[]> tap) {
        return PollLoop.builder("task-events-" + instanceId, tap)
                .pollTimeout(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(2))
                .onBatch(this::fold)
                .health(health)
                .build();
    }

    /** One poll's events: folded, the changed tasks written back, then the position committed. */
    private void fold(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> tap) {
        List<TaskView.Versioned> changed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TaskEvent event;
            try {
                event = ContractJson.read(r.value(), TaskEvent.class);
            } catch (RuntimeException e) {
                LOG.warnf("skipping unreadable task event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
                continue;
            }
            try {
                view.apply(event, r.offset(), v -> {
                    changed.add(v);
                    afterFold.accept(event, v.task());
                });
            } catch (RuntimeException e) {
                LOG.errorf("cannot fold task event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e);
            }
        }
        for (TaskView.Versioned v : changed) {
            producer.send(KafkaTaskLog.stateRecord(v.task(), v.offset()));
        }
        if (!records.isEmpty()) {
            // always: state records written by request threads (read-your-writes) must be durable before the
            // position that covers their events is committed
            producer.flush();
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                commit.put(tp, new OffsetAndMetadata(tap.position(tp)));
            }
            tap.commitAsync(commit, null);
        }
        caughtUp.check(tap);
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
                KafkaConsumer<String, byte[]> tap = newTap();
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

    private KafkaConsumer<String, byte[]> newTap() {
        return kafka.consumer("gateway-" + instanceId + "-events", Optional.of("codetether-gateway-" + instanceId),
                READ_COMMITTED, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Whether the task event reader runs: caught up once and not dead (a reader that died is restarted; it counts
     * as healthy again once the new one runs). The gateway's readiness.
     */
    public boolean healthy() {
        PollLoop<String, byte[]> l = loop;
        return caughtUp.reached() && running && restartFailure == null && l != null
                && l.state() == PollLoop.State.RUNNING;
    }

    /** Why the reader is not running, if it died; empty while it runs. */
    public Optional<String> failure() {
        String r = restartFailure;
        if (r != null) {
            return Optional.of(r);
        }
        PollLoop<String, byte[]> l = loop;
        return l == null || l.state() != PollLoop.State.FAILED ? Optional.empty() : l.status().failure();
    }

    /** How often the reader was restarted after dying. */
    public int restarts() {
        return restarts.get();
    }

    private static long offsetOf(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(OFFSET_HEADER);
        return h == null || h.value().length != 8 ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }

    @Override
    public void close() {
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
