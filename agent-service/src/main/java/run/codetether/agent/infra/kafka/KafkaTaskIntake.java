package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.loop.FairIntakeQueue;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Takes task commands from {@code tasks.requested} (consumer group {@code agent-workers}) and hands them to the
 * dispatcher. At-least-once: a command's offset is committed only after its run ended, so a worker that dies
 * leaves its commands to the partition's next owner, which resumes them from the saved session. When a partition
 * moves away (rebalance, shutdown), its runs here are abandoned without further events. Fetched commands wait in
 * a {@link FairIntakeQueue} and start round-robin across tenants when a slot frees up (one tenant's flood does not
 * hold another tenant's task behind it); past {@link #MAX_BUFFERED} commands or {@link #MAX_BUFFERED_BYTES}, a
 * tenant with commands waiting has its further ones parked by offset ({@link ParkedCommands}, read again when there
 * is room) while the intake reads on for other tenants, and fetching pauses only at {@link #HARD_MAX_BUFFERED} or
 * {@link #MAX_PARKED}. A run whose end did not reach Kafka has its command run again ({@link #RETRY_DELAY}). The last {@link #RESERVED_SLOTS} free slot goes only to a tenant with nothing
 * running here: a flood fills every other slot, and another tenant's task starts at once instead of waiting for one
 * of the flood's runs to end (issue 19: that wait was 0.2-0.7 s of its delay), on a thread of its own
 * ({@link TaskDispatcher.Lane#OWN_THREAD}). One platform {@link PollLoop}; runs report back through queues.
 */
public final class KafkaTaskIntake implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaTaskIntake.class);

    /** Kafka's default broker minimum, then Kafka's own default: tried in turn when a broker refuses a shorter one. */
    private static final List<Duration> FALLBACK_SESSION_TIMEOUTS = List.of(Duration.ofSeconds(6),
            Duration.ofSeconds(45));

    /**
     * Commands fetched ahead of free slots so that the fair queue can pick across tenants: enough to see past one
     * client's in-flight cap at the gateway (500), small enough to cost little memory.
     */
    static final int MAX_BUFFERED = 1_000;
    /** Record bytes fetched ahead at most (a command can be as large as the gateway's 1 MiB body limit). */
    static final long MAX_BUFFERED_BYTES = 16L * 1024 * 1024;
    /**
     * Past {@link #MAX_BUFFERED}, a tenant with commands waiting has its further ones parked by offset (read again
     * when there is room) while the intake reads on for other tenants, whose commands are buffered up to twice the
     * bound: a flood deeper than the buffer does not hide another tenant's command behind it (issue 19).
     */
    static final int HARD_MAX_BUFFERED = 2 * MAX_BUFFERED;
    /** Parked offsets at most (about 100 bytes each); past it fetching pauses, as with a full buffer. */
    static final int MAX_PARKED = 100_000;
    /**
     * Free slots only a tenant with nothing running may take. One: the first task of each other tenant starts at
     * once; the flood runs on every other slot (63 of the default 64).
     */
    static final int RESERVED_SLOTS = 1;
    /**
     * How long a command whose run could not publish its end waits before it runs again: that run already waited out
     * the producers' delivery timeout, or failed at once on missing metadata, which this spaces out.
     */
    static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    /** A command to run again (its run's end did not reach Kafka) once {@code notBefore} (epoch ms) passed. */
    private record Retry(Fetched fetched, String tenant, long notBefore) {}

    /** A fetched record with its command (null when unreadable) and when this intake fetched it (epoch ms). */
    private record Fetched(ConsumerRecord<String, byte[]> record, TaskCommand command, long fetchedAt) {}

    private KafkaConsumer<String, byte[]> consumer;
    private final TaskDispatcher dispatcher;
    private final FairIntakeQueue<Fetched> buffer = new FairIntakeQueue<>(HARD_MAX_BUFFERED, 2 * MAX_BUFFERED_BYTES);
    private final ParkedCommands parked = new ParkedCommands();
    private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Queue<Map.Entry<TopicPartition, Long>> finished = new ConcurrentLinkedQueue<>();
    /** The fairness key of every run that ended, finished or abandoned (told from the runs' threads). */
    private final Queue<String> ended = new ConcurrentLinkedQueue<>();
    /** Commands whose runs ended without publishing their end (told from the runs' threads). */
    private final Queue<Retry> retries = new ConcurrentLinkedQueue<>();
    private final Map<TaskRun, TopicPartition> runs = new ConcurrentHashMap<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final LoopHealth health;
    private PollLoop<String, byte[]> loop;
    private boolean running = true;

    private final String topic;
    private final KafkaClients kafka;
    private final String groupId;
    private final String clientId;
    private final Map<String, Object> own;
    private volatile Duration sessionTimeout;
    private volatile Map<String, Object> consumerProperties;

    public KafkaTaskIntake(String bootstrapServers, String groupId, String workerId, TaskDispatcher dispatcher) {
        this(bootstrapServers, Topics.TASKS_REQUESTED, groupId, workerId, dispatcher, "earliest");
    }

    /** @param topic tasks.requested in production; tests isolate themselves with a topic of their own */
    public KafkaTaskIntake(String bootstrapServers, String topic, String groupId, String workerId,
            TaskDispatcher dispatcher, String offsetReset) {
        this(bootstrapServers, topic, groupId, workerId, dispatcher, offsetReset, KafkaTuning.DEFAULTS);
    }

    /** For tests: a bare broker address. */
    public KafkaTaskIntake(String bootstrapServers, String topic, String groupId, String workerId,
            TaskDispatcher dispatcher, String offsetReset, KafkaTuning tuning) {
        this(KafkaClients.forBootstrap(bootstrapServers), topic, groupId, workerId, dispatcher, offsetReset, tuning,
                new LoopHealth());
    }

    /**
     * @param tuning session timeout and heartbeat: how soon another worker takes this one's tasks after a crash
     * @param health where the poll loop reports (a dead intake turns the agent's readiness down)
     */
    public KafkaTaskIntake(KafkaClients kafka, String topic, String groupId, String workerId,
            TaskDispatcher dispatcher, String offsetReset, KafkaTuning tuning, LoopHealth health) {
        this.health = health;
        this.dispatcher = dispatcher;
        this.topic = topic;
        this.kafka = kafka;
        this.groupId = groupId;
        this.clientId = "agent-intake-" + workerId;
        own = tuning.groupConsumer();
        own.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        own.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        own.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        own.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        sessionTimeout = tuning.sessionTimeout();
        consumer = newConsumer();
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        own.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        consumerProperties = kafka.settings().consumer(clientId, Optional.of(groupId), own);
        return kafka.consumer(clientId, Optional.of(groupId), own, new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The session timeout this consumer joined (or tries to join) with. */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** The consumer's effective settings, for tests (may hold the service's {@code kafka.*} SASL settings: never log it). */
    Properties consumerProperties() {
        Properties copy = new Properties();
        copy.putAll(consumerProperties);
        return copy;
    }

    public KafkaTaskIntake start() {
        synchronized (this) {
            loop = loop(consumer).start();
        }
        return this;
    }

    /** Waits until this worker owns at least one partition (tests and readiness). */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The poll loop: before each poll, finished runs free their offsets and buffered commands go to free slots
     * (fetching pauses while the buffer is full); each poll's commands are buffered and what is safe is committed.
     */
    private PollLoop<String, byte[]> loop(KafkaConsumer<String, byte[]> consumer) {
        return PollLoop.builder(clientId, consumer)
                .onStart(c -> c.subscribe(List.of(topic), rebalances()))
                .beforePoll(c -> {
                    drainFinished();
                    requeueDue();
                    dispatchBuffered();
                    if (buffer.full() || parked.size() >= MAX_PARKED) {
                        c.pause(c.assignment());
                    } else {
                        c.resume(c.assignment());
                        if (!crowded()) {
                            replayParked(c);
                        }
                    }
                })
                .pollTimeout(Duration.ofMillis(50))
                .onBatch((records, c) -> {
                    java.util.Set<TopicPartition> sought = new java.util.HashSet<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (sought.contains(tp)) {
                            continue; // sought elsewhere in this batch: the rest of it comes again from there
                        }
                        Long until = parked.replayUntil(tp);
                        if (until != null && r.offset() < until) {
                            replay(c, tp, r, until, sought);
                            continue;
                        } else if (until != null) {
                            parked.replayed(tp);
                        }
                        inFlight.computeIfAbsent(tp, k -> new TreeSet<>()).add(r.offset());
                        next.merge(tp, r.offset() + 1, Math::max);
                        buffer(r, true);
                    }
                    commit(c);
                })
                .onStop(c -> handOver(List.copyOf(c.assignment())))
                .onFailure(this::rejoin)
                .health(health)
                .build();
    }

    private ConsumerRebalanceListener rebalances() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                handOver(parts);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> parts) {
                handOver(parts);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                if (!parts.isEmpty()) {
                    // when a crashed worker's partitions arrive here is its tasks' takeover: worth a line in the log
                    LOG.infof("task intake %s now owns %s", clientId, parts);
                    assigned.countDown();
                }
            }
        };
    }

    /**
     * When the broker refuses the configured session timeout (its {@code group.min.session.timeout.ms} is higher),
     * a new loop joins with a longer one: tasks still run, their takeover after a crash is slower, and the log says
     * what to change. Failing the intake instead would stop every task of the platform over a tuning setting. The
     * refused loop never joined, so it held nothing to hand over.
     */
    private void rejoin(Throwable failure) {
        if (!(failure instanceof InvalidSessionTimeoutException e)) {
            return; // the loop logged it and readiness reports it
        }
        Duration refused = sessionTimeout;
        Duration longer = FALLBACK_SESSION_TIMEOUTS.stream().filter(d -> d.compareTo(refused) > 0).findFirst()
                .orElse(null);
        synchronized (this) {
            if (!running) {
                return;
            }
            if (longer == null) {
                LOG.errorf("the broker refuses the task consumer's session timeout %s (%s); the task intake"
                        + " stops: no task will run on this worker", refused, e.getMessage());
                return;
            }
            LOG.errorf("the broker refuses codetether.agent.kafka.session-timeout=%s (%s: its"
                    + " group.min.session.timeout.ms is higher); joining with %s instead, so a crashed worker's"
                    + " tasks move on only after about %s. Set group.min.session.timeout.ms <= %d on the brokers"
                    + " (docs/operations.md)", refused, e.getMessage(), longer, longer, refused.toMillis());
            sessionTimeout = longer;
            consumer = newConsumer();
            loop = loop(consumer).start();
        }
    }

    /** The buffer holds its bound: commands of tenants with some waiting are parked instead of buffered. */
    private boolean crowded() {
        return buffer.size() >= MAX_BUFFERED || buffer.bytes() >= MAX_BUFFERED_BYTES;
    }

    /**
     * With room in the buffer again, each partition with parked commands is read again from its lowest parked
     * offset up to where the intake was ({@link #replay}).
     */
    private void replayParked(KafkaConsumer<String, byte[]> c) {
        for (TopicPartition tp : c.assignment()) {
            Long from = parked.replayFrom(tp);
            Long until = next.get(tp);
            if (from != null && until != null) {
                parked.replaying(tp, until);
                c.seek(tp, from);
            }
        }
    }

    /**
     * A record read again below where the intake was: a parked one goes to the buffer, any other was handled then.
     * When the buffer fills up again, the rest stays parked and reading goes on where it was.
     */
    private void replay(KafkaConsumer<String, byte[]> c, TopicPartition tp, ConsumerRecord<String, byte[]> r,
            long until, java.util.Set<TopicPartition> sought) {
        if (crowded()) {
            parked.replayed(tp);
            c.seek(tp, until);
            sought.add(tp);
            return;
        }
        if (parked.unpark(tp, r.offset()) != null) {
            buffer(r, false);
        }
    }

    /**
     * Decodes a fetched record and queues it under its tenant, or parks it by offset: when the buffer holds its
     * bound and the tenant has commands waiting, or when an earlier command of its tenant or context is parked (the
     * order within a conversation is kept; a tenant's own commands start in partition order).
     */
    private void buffer(ConsumerRecord<String, byte[]> r, boolean mayPark) {
        TaskCommand cmd;
        try {
            cmd = r.value() == null ? null : ContractJson.read(r.value(), TaskCommand.class);
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable command at " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": "
                    + e.getMessage());
            cmd = null;
        }
        String tenant = cmd instanceof TaskCommand.StartTask start ? start.tenant() : null;
        String contextId = cmd == null ? null : cmd.contextId();
        if (mayPark && (parked.holds(tenant, contextId) || (crowded() && buffer.waits(tenant)))) {
            parked.park(new TopicPartition(r.topic(), r.partition()), r.offset(), tenant, contextId);
            return;
        }
        buffer.add(tenant, cmd == null ? null : cmd.contextId(), new Fetched(r, cmd, System.currentTimeMillis()),
                Math.max(0, r.serializedValueSize()) + Math.max(0, r.serializedKeySize()));
    }

    private void dispatchBuffered() {
        while (!buffer.isEmpty()) {
            // the last free slot(s) only for a tenant with nothing running: while one tenant fills every other slot,
            // another's first task starts as soon as it is fetched instead of waiting for one of those runs to end
            boolean reserved = dispatcher.available() <= RESERVED_SLOTS;
            FairIntakeQueue.Next<Fetched> next = buffer.next(reserved);
            if (next == null) {
                return; // only tenants with runs going wait: the reserved slot stays free
            }
            Fetched f = next.item();
            ConsumerRecord<String, byte[]> r = f.record();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            TaskCommand cmd = f.command();
            if (cmd == null) {
                buffer.take(next, false);
                finished.add(Map.entry(tp, r.offset()));
                continue;
            }
            long offset = r.offset();
            String key = next.key();
            TaskRun[] holder = new TaskRun[1];
            TaskRun run = dispatcher.trySubmit(cmd, () -> {
                TaskRun self = holder[0];
                if (self != null) {
                    runs.remove(self);
                }
                ended.add(key);
                if (self != null && !self.abandoned() && self.unreported() != null) {
                    // its end did not reach Kafka: the offset stays uncommitted and the command runs again here
                    retries.add(new Retry(f, cmd instanceof TaskCommand.StartTask s ? s.tenant() : null,
                            System.currentTimeMillis() + RETRY_DELAY.toMillis()));
                    return;
                }
                // an abandoned run did not finish its command: its offset must stay uncommitted for the next owner
                if (self == null || !self.abandoned()) {
                    finished.add(Map.entry(tp, offset));
                }
            }, reserved ? TaskDispatcher.Lane.OWN_THREAD : TaskDispatcher.Lane.SHARED);
            if (run == null) {
                return; // no free slot; fetching pauses until one frees up
            }
            holder[0] = run;
            runs.put(run, tp);
            buffer.take(next, true);
            if (LOG.isDebugEnabled()) {
                // where a task's wait before its run goes (issue 19's fairness): the hop to this worker, then the buffer
                long now = System.currentTimeMillis();
                LOG.debugf("task %s (tenant %s) started: fetched %d ms after it was written, then %d ms in the intake"
                        + " buffer (%d commands wait, %d slots free%s); dispatched at %d", cmd.taskId(),
                        cmd instanceof TaskCommand.StartTask s ? s.tenant() : "-", f.fetchedAt() - r.timestamp(),
                        now - f.fetchedAt(), buffer.size(), dispatcher.available(),
                        reserved ? ", on the reserved slot" : "", now);
            }
        }
    }

    /**
     * Commands to run again go back into the buffer once their delay passed, unless their partition left this
     * worker meanwhile (its next owner reads them from the committed offset).
     */
    private void requeueDue() {
        if (retries.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Retry> later = new java.util.ArrayList<>();
        Retry r;
        while ((r = retries.poll()) != null) {
            ConsumerRecord<String, byte[]> rec = r.fetched().record();
            TreeSet<Long> owned = inFlight.get(new TopicPartition(rec.topic(), rec.partition()));
            if (owned == null || !owned.contains(rec.offset())) {
                continue;
            }
            if (r.notBefore() > now) {
                later.add(r);
                continue;
            }
            LOG.infof("running the command of task %s again (at %s-%d@%d): its last run did not publish its end",
                    r.fetched().command().taskId(), rec.topic(), rec.partition(), rec.offset());
            TaskCommand cmd = r.fetched().command();
            buffer.add(r.tenant(), cmd.contextId(), r.fetched(),
                    Math.max(0, rec.serializedValueSize()) + Math.max(0, rec.serializedKeySize()));
        }
        retries.addAll(later);
    }

    private void drainFinished() {
        Map.Entry<TopicPartition, Long> e;
        while ((e = finished.poll()) != null) {
            TreeSet<Long> set = inFlight.get(e.getKey());
            if (set != null) {
                set.remove(e.getValue());
            }
        }
        String key;
        while ((key = ended.poll()) != null) {
            buffer.ended(key);
        }
    }

    private void commit(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (var tp : consumer.assignment()) {
            Long n = next.get(tp);
            if (n == null) {
                continue;
            }
            TreeSet<Long> set = inFlight.getOrDefault(tp, new TreeSet<>());
            long safe = set.isEmpty() ? n : set.first();
            if (!Long.valueOf(safe).equals(committed.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(safe));
                committed.put(tp, safe);
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (o, ex) -> {
                if (ex != null) {
                    LOG.debugf("offset commit failed (will retry): %s", ex.getMessage());
                    o.keySet().forEach(committed::remove);
                }
            });
        }
    }

    /** Partitions leave this worker: stop their runs quietly, keep committed offsets where they were. */
    private void handOver(Collection<TopicPartition> parts) {
        if (parts.isEmpty()) {
            return;
        }
        dispatcher.abandon(run -> parts.contains(runs.get(run)));
        parked.drop(parts);
        buffer.removeIf(f -> parts.contains(new TopicPartition(f.record().topic(), f.record().partition())));
        drainFinished();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : parts) {
            TreeSet<Long> set = inFlight.remove(tp);
            Long n = next.remove(tp);
            committed.remove(tp);
            if (n != null && (set == null || set.isEmpty())) {
                offsets.put(tp, new OffsetAndMetadata(n));
            } else if (set != null && !set.isEmpty()) {
                offsets.put(tp, new OffsetAndMetadata(set.first()));
            }
        }
        try {
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets, Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            LOG.debugf("commit on hand-over failed: %s", e.getMessage());
        }
    }

    /** Leaves the group; running tasks are abandoned and continue on the partitions' next owner. */
    @Override
    public void close() {
        PollLoop<String, byte[]> current;
        KafkaConsumer<String, byte[]> unused;
        synchronized (this) {
            running = false;
            current = loop;
            unused = consumer;
        }
        if (current != null) {
            current.close();
        } else {
            unused.close(Duration.ZERO); // never started
        }
    }
}
