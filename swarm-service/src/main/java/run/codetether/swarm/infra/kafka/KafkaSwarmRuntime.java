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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
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
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.ReadToEnd;
import run.codetether.platform.kafka.TaskEventGate;
import run.codetether.platform.kafka.Traffic;
import run.codetether.swarm.domain.SwarmCoordinator;
import run.codetether.swarm.domain.SwarmOutbox;

/**
 * Runs one {@link SwarmCoordinator} against Kafka. Ownership of a swarm = ownership of its {@code swarm.requested}
 * partition in the consumer group: {@code swarm.state} has the same partition count and key, so on assignment the
 * runtime reads the matching {@code swarm.state} partition and resumes every unfinished swarm in it, replaying
 * {@code tasks.events} from the earliest running dispatch. Offsets on {@code swarm.requested} are committed after a
 * command was handled and the state it created is on the broker (at least once; the coordinator ignores a repeated
 * start). Three platform {@link PollLoop}s: commands (the group), task events (every partition, no group; paused by
 * a {@link TaskEventGate} while this instance owns no swarm, so that a stack running no swarm does not read every
 * task's events), and the
 * state watcher that fills the shared result cache from every swarm; a loop that dies turns readiness down. The
 * coordinator's model calls run on its own executor, never on these threads.
 */
public final class KafkaSwarmRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSwarmRuntime.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * How long a reader of its own (the saved swarms' read, the end probe) may take to close: none has a group or
     * offsets to leave behind, so nothing is lost by not waiting, and Kafka's default (30 s) held a take-over's
     * rebalance callback or the service's stop that long when the broker did not answer.
     */
    static final Duration READER_CLOSE = Duration.ZERO;
    /** The default of {@code codetether.swarm.state-read-timeout}. */
    public static final Duration DEFAULT_STATE_READ_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaClients clients;
    private final String groupId;
    private final String instanceId;
    private final LoopHealth health;
    private final Duration stateReadTimeout;
    private final SwarmCoordinator coordinator;
    private final KafkaSwarmOutbox outbox;
    private final KafkaProducer<String, Object> producer;
    private final ConcurrentLinkedQueue<Instant> replays = new ConcurrentLinkedQueue<>();
    private final List<PollLoop<String, byte[]>> loops = new ArrayList<>();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("swarm-pump").daemon().factory());
    private final TaskEventGate gate;
    private final AtomicLong taskEventsRead = new AtomicLong();
    private List<TopicPartition> eventParts = List.of();
    private volatile boolean running = true;

    /** A runtime on a plain bootstrap address, reporting to a health registry of its own (tests, benchmarks). */
    public KafkaSwarmRuntime(String bootstrap, String groupId, String instanceId,
            Function<SwarmOutbox, SwarmCoordinator> coordinatorFactory) {
        this(new KafkaClients(KafkaSettings.of(bootstrap)), groupId, instanceId, new LoopHealth(),
                DEFAULT_STATE_READ_TIMEOUT, coordinatorFactory);
    }

    /**
     * @param health where the runtime's poll loops report, for the service's readiness
     * @param stateReadTimeout longest read of {@code swarm.state} at start and at a take-over
     *        ({@code codetether.swarm.state-read-timeout})
     * @param coordinatorFactory builds the coordinator around the Kafka outbox this runtime owns
     */
    public KafkaSwarmRuntime(KafkaClients clients, String groupId, String instanceId, LoopHealth health,
            Duration stateReadTimeout, Function<SwarmOutbox, SwarmCoordinator> coordinatorFactory) {
        this.stateReadTimeout = stateReadTimeout;
        this.clients = clients;
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.health = health;
        this.producer = clients.producer("swarm-" + instanceId, new StringSerializer(), new ContractSerializer());
        this.outbox = new KafkaSwarmOutbox(producer);
        this.coordinator = coordinatorFactory.apply(outbox);
        this.gate = new TaskEventGate(() -> coordinator.activeSwarmIds().isEmpty());
    }

    public SwarmCoordinator coordinator() {
        return coordinator;
    }

    /** Positions the task-event reader at the end first, so no subtask report can slip past, then joins the group. */
    public KafkaSwarmRuntime start() {
        KafkaConsumer<String, byte[]> events = consumer("events", null, Traffic.STEADY);
        eventParts = partitions(events, Topics.TASKS_EVENTS);
        events.assign(eventParts);
        events.seekToEnd(eventParts);
        eventParts.forEach(events::position);
        // swarm.state changes a few times per swarm, and the watcher never seeks after its first read
        KafkaConsumer<String, byte[]> watcher = consumer("state", null, Traffic.RARE);
        // warm the result cache from every saved swarm before taking any command; the watcher then follows on
        ReadToEnd.of(Topics.SWARM_STATE + " (result cache)", watcher, stateReadTimeout).topic(Topics.SWARM_STATE)
                .forEach(this::learn);
        loops.add(PollLoop.builder("swarm-events-" + instanceId, events)
                .beforePoll(c -> {
                    gate.beforePoll(c);
                    replayIfAsked(c);
                })
                .onRecord(r -> {
                    taskEventsRead.incrementAndGet();
                    if (r.value() != null) {
                        coordinator.onTaskEvent(ContractJson.read(r.value(), TaskEvent.class));
                    }
                })
                .pollTimeout(POLL).health(health).start());
        // a record ends its poll at once and close() wakes it: a longer poll only wakes its idle thread less often
        loops.add(PollLoop.builder("swarm-state-" + instanceId, watcher)
                .onRecord(this::learn).pollTimeout(clients.rareFetchWait()).health(health).start());
        // where a new swarm's subtask reports will start: read on the commands thread only (consumers are not
        // thread-safe), by a consumer of its own that holds the partitions and so never polls for anything else
        KafkaConsumer<String, byte[]> endProbe = consumer("probe", null, Traffic.STEADY);
        endProbe.assign(eventParts);
        // swarm commands are rare: the broker holds the idle fetch (a StartSwarm answers it at once), so an idle
        // replica does not ask twice a second (issue 18). After a rebalance, a partition new to this replica is
        // fetched once the fetch held at the time is answered: at most codetether.kafka.rare-fetch-wait later
        KafkaConsumer<String, byte[]> commands = consumer("commands", groupId, Traffic.RARE);
        loops.add(PollLoop.builder("swarm-commands-" + instanceId, commands)
                .onStart(c -> c.subscribe(List.of(Topics.SWARM_REQUESTED), new Ownership(c, endProbe)))
                .onRecord(r -> command(endProbe, r))
                .onStop(c -> endProbe.close(READER_CLOSE))
                // a command is committed only once the state it created is on the broker
                .commit(PollLoop.Commit.AFTER_BATCH, () -> {
                    coordinator.flush();
                    outbox.flushStates();
                    producer.flush();
                })
                .pollTimeout(POLL).health(health).start());
        pump.scheduleWithFixedDelay(this::pumpOnce, 50, 50, TimeUnit.MILLISECONDS);
        return this;
    }

    private void learn(ConsumerRecord<String, byte[]> r) {
        if (r.value() != null) {
            coordinator.learn(ContractJson.read(r.value(), SwarmState.class));
        }
    }

    private void command(KafkaConsumer<String, byte[]> endProbe, ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        switch (ContractJson.read(r.value(), SwarmCommand.class)) {
            case SwarmCommand.StartSwarm s -> gate.register(() -> endProbe.endOffsets(eventParts),
                    () -> coordinator.start(s));
            case SwarmCommand.CancelSwarm c -> coordinator.cancel(c);
        }
    }

    private void pumpOnce() {
        try {
            outbox.flushStates();
            coordinator.pump();
        } catch (RuntimeException e) {
            LOG.errorf(e, "swarm pump failed");
        }
    }

    /** Swarms follow the partitions of {@code swarm.requested}: released when revoked, taken over when assigned. */
    private final class Ownership implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> commands;
        private final KafkaConsumer<String, byte[]> endProbe;

        Ownership(KafkaConsumer<String, byte[]> commands, KafkaConsumer<String, byte[]> endProbe) {
            this.commands = commands;
            this.endProbe = endProbe;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            coordinator.flush();
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
            List<SwarmState> saved = new ArrayList<>();
            for (TopicPartition tp : parts) {
                saved.addAll(savedSwarms(tp.partition()));
            }
            if (!saved.isEmpty()) {
                gate.register(() -> endProbe.endOffsets(eventParts), () -> saved.forEach(s -> takeOver(s)));
            }
        }
    }

    /**
     * Reads one {@code swarm.state} partition to its end offset of the start: the latest state of each swarm saved
     * in it. Runs in the commands loop's rebalance callback: a read past {@code state-read-timeout} fails there, the
     * loop dies and readiness goes down, rather than holding the partition while nothing is resumed. Package-private
     * for tests.
     */
    Collection<SwarmState> savedSwarms(int partition) {
        Map<String, SwarmState> latest = new LinkedHashMap<>();
        KafkaConsumer<String, byte[]> reader = consumer("saved", null, Traffic.STEADY);
        try {
            TopicPartition tp = new TopicPartition(Topics.SWARM_STATE, partition);
            ReadToEnd.of(Topics.SWARM_STATE + " (saved swarms)", reader, stateReadTimeout).partitions(List.of(tp))
                    .forEach(r -> {
                        if (r.value() == null) {
                            latest.remove(r.key());
                            return;
                        }
                        try {
                            latest.put(r.key(), ContractJson.read(r.value(), SwarmState.class));
                        } catch (RuntimeException e) {
                            LOG.errorf("skipping unreadable swarm.state record at offset %d: %s", r.offset(),
                                    e.getMessage());
                        }
                    });
        } finally {
            reader.close(READER_CLOSE);
        }
        return latest.values();
    }

    /** Resumes one saved swarm; when subtasks of it were running, their events are replayed from their dispatch. */
    private void takeOver(SwarmState state) {
        coordinator.learn(state);
        coordinator.resume(state).ifPresent(from -> {
            LOG.infof("instance %s took over swarm %s; replaying task events from %s", instanceId,
                    state.swarmId(), from);
            replays.add(from);
        });
    }

    /** How many {@code tasks.events} records this runtime read (tests: none while it owns no swarm). */
    public long taskEventsRead() {
        return taskEventsRead.get();
    }

    /** Whether the {@code tasks.events} reader rests because this runtime owns no swarm. */
    public boolean taskEventsPaused() {
        return gate.paused();
    }

    /** A takeover asked for task events from some time on: seek there (minus 2 s of clock skew) before polling. */
    private void replayIfAsked(KafkaConsumer<String, byte[]> events) {
        Instant from = null;
        for (Instant i; (i = replays.poll()) != null; ) {
            from = from == null || i.isBefore(from) ? i : from;
        }
        if (from == null) {
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        long at = from.minusSeconds(2).toEpochMilli();
        events.assignment().forEach(tp -> query.put(tp, at));
        Map<TopicPartition, OffsetAndTimestamp> found = events.offsetsForTimes(query);
        for (TopicPartition tp : events.assignment()) {
            OffsetAndTimestamp o = found.get(tp);
            if (o != null) {
                events.seek(tp, o.offset());
            }
        }
    }

    /** The default partitioner's choice for a key, so swarm.requested and swarm.state partitions line up. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    /** @param role in the client id ({@code swarm-<role>-<instance>-<random>}), so each reader counts apart */
    private KafkaConsumer<String, byte[]> consumer(String role, String group, Traffic traffic) {
        return clients.consumer("swarm-" + role + "-" + instanceId + "-" + UUID.randomUUID().toString().substring(0, 8),
                Optional.ofNullable(group), traffic, Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
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
        coordinator.flush();
        outbox.flushStates();
        producer.flush();
        loops.forEach(PollLoop::close);
        producer.close(Duration.ofSeconds(5));
    }
}
