package run.codetether.gateway.infra.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.dashboard.TaskBoard;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Feeds this replica's {@link TaskBoard} from Kafka: every event of {@code tasks.events} from the last
 * {@code replayPerPartition} of each partition on (so summaries of recent tasks carry their usage after a restart),
 * and the compacted {@code tasks.state} once (owner, tenant and state of older tasks). Reads without a consumer
 * group: the board is a cache, each replica folds everything, nothing is committed.
 */
public final class KafkaBoardFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaBoardFeed.class);

    private final KafkaClients kafka;
    private final String instanceId;
    private final TaskBoard board;
    private final int replayPerPartition;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> events;
    private Thread eventsThread;
    private Thread stateThread;

    public KafkaBoardFeed(String bootstrapServers, String instanceId, TaskBoard board, int replayPerPartition) {
        this(KafkaClients.forBootstrap(bootstrapServers), instanceId, board, replayPerPartition);
    }

    public KafkaBoardFeed(KafkaClients kafka, String instanceId, TaskBoard board, int replayPerPartition) {
        this.kafka = kafka;
        this.instanceId = instanceId;
        this.board = board;
        this.replayPerPartition = replayPerPartition;
    }

    public void start() {
        eventsThread = Thread.ofPlatform().name("dashboard-events-" + instanceId).daemon().start(this::followEvents);
        stateThread = Thread.ofVirtual().name("dashboard-state-" + instanceId).start(this::readState);
    }

    private void followEvents() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = consumer("events")) {
                events = c;
                List<TopicPartition> partitions = partitions(c, Topics.TASKS_EVENTS);
                if (partitions.isEmpty()) {
                    pause(); // the gateway creates the topics at start; wait for them
                    continue;
                }
                c.assign(partitions);
                Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
                for (Map.Entry<TopicPartition, Long> end : c.endOffsets(partitions).entrySet()) {
                    c.seek(end.getKey(), Math.max(begin.get(end.getKey()), end.getValue() - replayPerPartition));
                }
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        fold(r);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("dashboard event reader restarts after: %s", e.toString());
                pause();
            } finally {
                events = null;
            }
        }
    }

    private void fold(ConsumerRecord<String, byte[]> r) {
        TaskEvent event;
        try {
            event = ContractJson.read(r.value(), TaskEvent.class);
        } catch (RuntimeException e) {
            return; // the gateway's own reader logs unreadable events; the dashboard skips them quietly
        }
        try {
            board.apply(event, r.partition(), r.offset());
        } catch (RuntimeException e) {
            LOG.errorf("dashboard cannot fold task event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e);
        }
    }

    private void readState() {
        try (KafkaConsumer<String, byte[]> c = consumer("state")) {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = partitions(c, Topics.TASKS_STATE);
                if (partitions.isEmpty()) {
                    pause();
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            int restored = 0;
            while (running && !reached(c, end)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        board.restore(ContractJson.read(r.value(), Task.class));
                        restored++;
                    } catch (RuntimeException e) {
                        // unreadable state records are reported by the gateway's own reader
                    }
                }
            }
            LOG.debugf("dashboard restored %d task states", restored);
        } catch (RuntimeException e) {
            LOG.warnf("dashboard could not read %s: %s", Topics.TASKS_STATE, e.toString());
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            for (PartitionInfo i : infos) {
                out.add(new TopicPartition(topic, i.partition()));
            }
        }
        return out;
    }

    private KafkaConsumer<String, byte[]> consumer(String role) {
        return reader(kafka, "gateway-" + instanceId + "-dashboard-" + role);
    }

    /** A group-less reader of committed records, from the earliest offset (the dashboard's readers). */
    static KafkaConsumer<String, byte[]> reader(KafkaClients kafka, String clientId) {
        return kafka.consumer(clientId, Optional.empty(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = events;
        if (c != null) {
            c.wakeup();
        }
        for (Thread t : new Thread[] {eventsThread, stateThread}) {
            if (t != null) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
