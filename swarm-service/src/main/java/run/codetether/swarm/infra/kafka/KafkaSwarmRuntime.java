package run.codetether.swarm.infra.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmState;
import run.codetether.swarm.domain.SwarmCoordinator;
import run.codetether.swarm.domain.SwarmOutbox;

/**
 * Runs one {@link SwarmCoordinator} against Kafka. Ownership of a swarm = ownership of its {@code swarm.requested}
 * partition in the consumer group: {@code swarm.state} has the same partition count and key, so on assignment the
 * runtime reads the matching {@code swarm.state} partition and resumes every unfinished swarm in it, replaying
 * {@code tasks.events} from the earliest running dispatch. Offsets on {@code swarm.requested} are committed after a
 * command was handled (at least once; the coordinator ignores a repeated start). Three threads: commands, task
 * events (every partition, no group), and the state watcher that fills the shared result cache from every swarm.
 */
public final class KafkaSwarmRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSwarmRuntime.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String bootstrap;
    private final String groupId;
    private final String instanceId;
    private final SwarmCoordinator coordinator;
    private final KafkaSwarmOutbox outbox;
    private final KafkaProducer<String, Object> producer;
    private final ConcurrentLinkedQueue<Instant> replays = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<KafkaConsumer<?, ?>> consumers = new ArrayList<>();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("swarm-pump").daemon().factory());
    private volatile boolean running = true;

    /**
     * @param coordinatorFactory builds the coordinator around the Kafka outbox this runtime owns
     */
    public KafkaSwarmRuntime(String bootstrap, String groupId, String instanceId,
            Function<SwarmOutbox, SwarmCoordinator> coordinatorFactory) {
        this.bootstrap = bootstrap;
        this.groupId = groupId;
        this.instanceId = instanceId;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "swarm-" + instanceId);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ContractSerializer());
        this.outbox = new KafkaSwarmOutbox(producer);
        this.coordinator = coordinatorFactory.apply(outbox);
    }

    public SwarmCoordinator coordinator() {
        return coordinator;
    }

    /** Positions the task-event reader at the end first, so no subtask report can slip past, then joins the group. */
    public KafkaSwarmRuntime start() {
        KafkaConsumer<String, byte[]> events = consumer(null);
        List<TopicPartition> eventParts = partitions(events, Topics.TASKS_EVENTS);
        events.assign(eventParts);
        events.seekToEnd(eventParts);
        eventParts.forEach(events::position);
        KafkaConsumer<String, byte[]> watcher = consumer(null);
        List<TopicPartition> stateParts = partitions(watcher, Topics.SWARM_STATE);
        watcher.assign(stateParts);
        watcher.seekToBeginning(stateParts);
        // warm the result cache from every saved swarm before taking any command
        Map<TopicPartition, Long> ends = watcher.endOffsets(stateParts);
        while (stateParts.stream().anyMatch(tp -> watcher.position(tp) < ends.get(tp))) {
            for (ConsumerRecord<String, byte[]> r : watcher.poll(POLL)) {
                handle(r, x -> coordinator.learn(ContractJson.read(x.value(), SwarmState.class)));
            }
        }
        KafkaConsumer<String, byte[]> commands = consumer(groupId);
        spawn("swarm-events-" + instanceId, () -> eventLoop(events));
        spawn("swarm-state-" + instanceId, () -> loop(watcher, false, r -> {
            SwarmState s = ContractJson.read(r.value(), SwarmState.class);
            coordinator.learn(s);
        }));
        spawn("swarm-commands-" + instanceId, () -> commandLoop(commands));
        pump.scheduleWithFixedDelay(this::pumpOnce, 50, 50, TimeUnit.MILLISECONDS);
        return this;
    }

    private void pumpOnce() {
        try {
            outbox.flushStates();
            coordinator.pump();
        } catch (RuntimeException e) {
            LOG.errorf(e, "swarm pump failed");
        }
    }

    private void commandLoop(KafkaConsumer<String, byte[]> commands) {
        commands.subscribe(List.of(Topics.SWARM_REQUESTED), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                outbox.flushStates();
                Set<String> lost = new HashSet<>();
                int count = commands.partitionsFor(Topics.SWARM_REQUESTED).size();
                Set<Integer> ids = new HashSet<>();
                parts.forEach(tp -> ids.add(tp.partition()));
                for (String swarmId : coordinator.activeSwarmIds()) {
                    if (ids.contains(partitionOf(swarmId, count))) {
                        lost.add(swarmId);
                    }
                }
                coordinator.release(lost);
                producer.flush();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                for (TopicPartition tp : parts) {
                    takeOver(tp.partition());
                }
            }
        });
        loop(commands, true, r -> {
            SwarmCommand cmd = ContractJson.read(r.value(), SwarmCommand.class);
            switch (cmd) {
                case SwarmCommand.StartSwarm s -> coordinator.start(s);
                case SwarmCommand.CancelSwarm c -> coordinator.cancel(c);
            }
        });
    }

    /** Reads one {@code swarm.state} partition to its end and resumes its unfinished swarms. */
    private void takeOver(int partition) {
        Map<String, SwarmState> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> reader = consumer(null)) {
            TopicPartition tp = new TopicPartition(Topics.SWARM_STATE, partition);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp)).get(tp);
            while (reader.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                        continue;
                    }
                    try {
                        latest.put(r.key(), ContractJson.read(r.value(), SwarmState.class));
                    } catch (RuntimeException e) {
                        LOG.errorf("skipping unreadable swarm.state record at offset %d: %s", r.offset(), e.getMessage());
                    }
                }
            }
        }
        for (SwarmState state : latest.values()) {
            coordinator.learn(state);
            coordinator.resume(state).ifPresent(from -> {
                LOG.infof("instance %s took over swarm %s; replaying task events from %s", instanceId,
                        state.swarmId(), from);
                replays.add(from);
            });
        }
    }

    private void eventLoop(KafkaConsumer<String, byte[]> events) {
        try {
            while (running) {
                Instant from = null;
                for (Instant i; (i = replays.poll()) != null; ) {
                    from = from == null || i.isBefore(from) ? i : from;
                }
                if (from != null) {
                    seekTo(events, from.minusSeconds(2));
                }
                for (ConsumerRecord<String, byte[]> r : events.poll(POLL)) {
                    handle(r, x -> coordinator.onTaskEvent(ContractJson.read(x.value(), TaskEvent.class)));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            events.close();
        }
    }

    private static void seekTo(KafkaConsumer<String, byte[]> c, Instant from) {
        Map<TopicPartition, Long> query = new HashMap<>();
        c.assignment().forEach(tp -> query.put(tp, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
        for (TopicPartition tp : c.assignment()) {
            OffsetAndTimestamp o = found.get(tp);
            if (o != null) {
                c.seek(tp, o.offset());
            }
        }
    }

    private void loop(KafkaConsumer<String, byte[]> consumer, boolean commit,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> body) {
        try {
            while (running) {
                var records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : records) {
                    handle(r, body);
                }
                if (commit && !records.isEmpty()) {
                    // a command is committed only once the state it created is on the broker
                    outbox.flushStates();
                    producer.flush();
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "swarm consumer thread %s stopped: %s", Thread.currentThread().getName(), e.getMessage());
        } finally {
            consumer.close();
        }
    }

    /** A record that does not decode or cannot be handled is logged and skipped: one bad record never stalls a topic. */
    private static void handle(ConsumerRecord<String, byte[]> r, java.util.function.Consumer<ConsumerRecord<String, byte[]>> body) {
        if (r.value() == null) {
            return;
        }
        try {
            body.accept(r);
        } catch (RuntimeException e) {
            LOG.errorf(e, "skipping %s record at %d/%d (key %s): %s", r.topic(), r.partition(), r.offset(), r.key(),
                    e.getMessage());
        }
    }

    /** The default partitioner's choice for a key, so swarm.requested and swarm.state partitions line up. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "swarm-" + instanceId + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        synchronized (consumers) {
            consumers.add(c);
        }
        return c;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private void spawn(String name, Runnable body) {
        Thread t = Thread.ofPlatform().name(name).daemon().start(body);
        threads.add(t);
    }

    /** Leaves the group (its partitions, and so its swarms, move to the other replicas) and stops every thread. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        pump.shutdown();
        try {
            pump.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.flushStates();
        producer.flush();
        synchronized (consumers) {
            consumers.forEach(KafkaConsumer::wakeup);
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
