package run.codetether.gateway.infra.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.TaskView;

/**
 * Keeps this replica's {@link TaskView} equal to the log and the log's state topic up to date.
 *
 * <p>At start it reads the compacted {@code tasks.state} topic to its end (every task as last written, with the
 * events offset it was folded to), then reads {@code tasks.events} from this instance's committed position (the
 * beginning for a new instance) and folds every event. Each event is folded once per replica (the view skips
 * offsets it has), every changed task is written back to {@code tasks.state}, and the position is committed only
 * after those writes are acknowledged, so a restart resumes without losing or double-applying anything.
 *
 * <p>Every replica writes the same folded value for a task (folding is deterministic), so N replicas cost N
 * identical state writes that compaction collapses; no coordination between replicas is needed.
 */
public final class KafkaTaskStateSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaTaskStateSync.class);
    /** Header on a state record: the offset (in the task's events partition) of the last event folded in. */
    public static final String OFFSET_HEADER = "codetether-events-offset";

    private final String bootstrapServers;
    private final String instanceId;
    private final TaskView view;
    private final KafkaProducer<String, Object> producer;
    private final BiConsumer<TaskEvent, Task> afterFold;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Duration restartDelay;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean running = true;
    private volatile String failure;
    private List<TopicPartition> partitions;
    private volatile KafkaConsumer<String, byte[]> tap;
    private Thread thread;

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
        this.restartDelay = restartDelay;
        this.bootstrapServers = bootstrapServers;
        this.instanceId = instanceId;
        this.view = view;
        this.producer = producer;
        this.afterFold = afterFold;
    }

    /** Restores the state, starts following events and returns once the view has caught up with the log. */
    public void start(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int restored = restoreState(timeout);
        tap = newTap();
        partitions = partitions(tap, Topics.TASKS_EVENTS);
        tap.assign(partitions);
        Map<TopicPartition, Long> end = tap.endOffsets(partitions, timeout);
        thread = Thread.ofPlatform().name("task-events-" + instanceId).daemon().start(() -> supervise(end));
        try {
            long left = deadline - System.nanoTime();
            if (!caughtUp.await(Math.max(left, 1), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("task events not caught up within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while catching up with task events", e);
        }
        LOG.infof("task state rebuilt from Kafka: %d tasks restored from %s, %d tasks after catching up",
                restored, Topics.TASKS_STATE, view.size());
    }

    private int restoreState(Duration timeout) {
        int count = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps(null), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(c, Topics.TASKS_STATE);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions, timeout));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(c, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + Topics.TASKS_STATE + " took longer than " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        view.remove(r.key());
                        continue;
                    }
                    try {
                        Task task = ContractJson.read(r.value(), Task.class);
                        view.restore(task, offsetOf(r));
                        count++;
                    } catch (RuntimeException e) {
                        LOG.warnf("skipping unreadable state record %s-%d@%d: %s", r.topic(), r.partition(),
                                r.offset(), e.getMessage());
                    }
                }
            }
        }
        return count;
    }

    /**
     * Runs the reader, and starts it again (a new consumer from the committed position) when it dies, even of an
     * Error such as OutOfMemoryError: a dead reader would leave every task as it stands while the gateway still
     * accepts work. Until the new reader has polled once, {@link #healthy()} is false (readiness DOWN).
     */
    private void supervise(Map<TopicPartition, Long> end) {
        while (running) {
            try {
                follow(end);
            } catch (Throwable e) {
                failure = e.toString();
                LOG.errorf("task event reader died (readiness DOWN until it restarts in %s): %s", restartDelay,
                        failure);
            } finally {
                closeTap();
            }
            if (!running) {
                return;
            }
            try {
                Thread.sleep(restartDelay);
                tap = newTap();
                tap.assign(partitions);
                restarts.incrementAndGet();
                LOG.infof("task event reader restarted (restart %d)", restarts.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                failure = e.toString();
                LOG.errorf("task event reader cannot restart yet: %s", failure);
            }
        }
    }

    private void follow(Map<TopicPartition, Long> end) {
        boolean signalled = caughtUp.getCount() == 0;
        try {
            while (running) {
                List<TaskView.Versioned> changed = new ArrayList<>();
                var records = tap.poll(Duration.ofMillis(200));
                failure = null;
                for (ConsumerRecord<String, byte[]> r : records) {
                    TaskEvent event;
                    try {
                        event = ContractJson.read(r.value(), TaskEvent.class);
                    } catch (RuntimeException e) {
                        LOG.warnf("skipping unreadable task event %s-%d@%d: %s", r.topic(), r.partition(),
                                r.offset(), e.getMessage());
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
                    // always: state records written by request threads (read-your-writes) must be durable
                    // before the position that covers their events is committed
                    producer.flush();
                    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                    for (TopicPartition tp : records.partitions()) {
                        commit.put(tp, new OffsetAndMetadata(tap.position(tp)));
                    }
                    tap.commitAsync(commit, null);
                }
                if (!signalled && reached(tap, end)) {
                    signalled = true;
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e; // nobody asked it to stop
            }
        }
    }

    private void closeTap() {
        try {
            if (tap != null) {
                tap.close(Duration.ofSeconds(2));
            }
        } catch (Throwable ignored) {
            // a consumer that cannot close cleanly is replaced anyway
        }
    }

    private KafkaConsumer<String, byte[]> newTap() {
        return new KafkaConsumer<>(consumerProps("codetether-gateway-" + instanceId), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Whether the task event reader runs: caught up once and not dead (a reader that died is restarted; it counts
     * as healthy again after its first poll). The gateway's readiness.
     */
    public boolean healthy() {
        return caughtUp.getCount() == 0 && failure == null && running;
    }

    /** Why the reader is not running, if it died; empty while it runs. */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** How often the reader was restarted after dying. */
    public int restarts() {
        return restarts.get();
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static long offsetOf(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(OFFSET_HEADER);
        return h == null || h.value().length != 8 ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }

    private List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Kafka topic " + topic + " does not exist at " + bootstrapServers);
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo i : infos) {
            out.add(new TopicPartition(topic, i.partition()));
        }
        return out;
    }

    private Properties consumerProps(String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + instanceId + (groupId == null ? "-state" : "-events"));
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    @Override
    public void close() {
        running = false;
        if (tap != null) {
            tap.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
