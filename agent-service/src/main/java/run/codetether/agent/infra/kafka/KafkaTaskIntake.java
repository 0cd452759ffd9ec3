package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.loop.FairIntakeQueue;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Takes task commands from {@code tasks.requested} (consumer group {@code agent-workers}) and hands them to the
 * dispatcher. At-least-once: a command's offset is committed only after its run ended, so a worker that dies
 * leaves its commands to the partition's next owner, which resumes them from the saved session; the commit says
 * which commands past it finished ({@link IntakeOffsets}), so that owner does not send their ends again. When a
 * partition moves away (rebalance, shutdown), its runs here are abandoned without further events. Fetched commands
 * wait in an {@link IntakeBuffer} (fair across tenants, a deeper flood parked by offset) and start when a slot frees
 * up; a run whose end did not reach Kafka has its command run again ({@link EndRetries}). The last
 * {@link #RESERVED_SLOTS} free slot goes only to a tenant with nothing running here: a flood fills every other slot,
 * and another tenant's task starts at once instead of waiting for one of the flood's runs to end (issue 19: that wait
 * was 0.2-0.7 s of its delay), on a thread of its own ({@link TaskDispatcher.Lane#OWN_THREAD}). A run that ends hands
 * its slot to the next buffered command itself, at once, instead of leaving it to the next poll (up to the poll
 * timeout later: issue 18's intake wake-up); fetched commands are dispatched as soon as their batch is buffered. This
 * class runs the one platform {@link PollLoop}: subscription, assignment, fetching and hand-over; the buffer is
 * shared with the runs' threads under {@link #lock}.
 */
public final class KafkaTaskIntake implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaTaskIntake.class);

    /** Kafka's default broker minimum, then Kafka's own default: tried in turn when a broker refuses a shorter one. */
    private static final List<Duration> FALLBACK_SESSION_TIMEOUTS = List.of(Duration.ofSeconds(6),
            Duration.ofSeconds(45));

    /** See {@link IntakeBuffer#MAX_BUFFERED}. */
    static final int MAX_BUFFERED = IntakeBuffer.MAX_BUFFERED;
    /**
     * Free slots only a tenant with nothing running may take. One: the first task of each other tenant starts at
     * once; the flood runs on every other slot (63 of the default 64).
     */
    static final int RESERVED_SLOTS = 1;
    /** Longest wait of one poll: how soon a paused intake resumes fetching and a retry comes due. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

    private KafkaConsumer<String, byte[]> consumer;
    private final TaskDispatcher dispatcher;
    private final IntakeBuffer buffer = new IntakeBuffer();
    private final IntakeOffsets offsets = new IntakeOffsets();
    private final EndRetries retries = new EndRetries();
    /**
     * Guards {@link #buffer} and {@link #runs}' hand-over: held by the poll thread while it buffers, replays and hands
     * partitions over, and by a run that ended while it gives its slot to the next command. A {@link ReentrantLock}:
     * the runs' threads are virtual (a monitor would pin their carrier while a batch is buffered).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TaskRun, TopicPartition> runs = new ConcurrentHashMap<>();
    private Duration pollTimeout = POLL_TIMEOUT;
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

    /** For tests: a longer poll shows that a freed slot is taken without waiting for the poll. Before {@link #start}. */
    KafkaTaskIntake pollTimeout(Duration timeout) {
        pollTimeout = timeout;
        return this;
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
     * The poll loop: before each poll, finished runs free their offsets, commands due again rejoin the buffer
     * (fetching pauses while it is full); each poll's commands are buffered, go to free slots at once, and what is
     * safe is committed. Slots that free up between polls are taken by the ending runs themselves ({@link #ended}).
     */
    private PollLoop<String, byte[]> loop(KafkaConsumer<String, byte[]> consumer) {
        return PollLoop.builder(clientId, consumer)
                .onStart(c -> c.subscribe(List.of(topic), rebalances(c)))
                .beforePoll(c -> {
                    offsets.drainFinished();
                    lock.lock();
                    try {
                        retries.requeueDue(f -> offsets.open(f.partition(), f.record().offset()), buffer::again);
                        dispatchBuffered();
                        if (buffer.full()) {
                            c.pause(c.assignment());
                        } else {
                            c.resume(c.assignment());
                            buffer.replayParked(c, offsets);
                        }
                    } finally {
                        lock.unlock();
                    }
                })
                .pollTimeout(pollTimeout)
                .onBatch((records, c) -> {
                    Set<TopicPartition> sought = new HashSet<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (sought.contains(tp) || replayed(c, r, sought)) {
                            continue; // sought elsewhere in this batch, or a parked command read again
                        }
                        if (offsets.fetched(tp, r.offset())) {
                            FetchedCommand f = IntakeBuffer.decode(r); // without the lock: runs ending meanwhile
                            lock.lock();                                 // hand their slots on
                            try {
                                buffer.add(f, true);
                            } finally {
                                lock.unlock();
                            }
                        }
                    }
                    lock.lock();
                    try {
                        dispatchBuffered(); // not at the next poll: the commit and the loop's turn cost a task that much
                    } finally {
                        lock.unlock();
                    }
                    offsets.commit(c);
                })
                .onStop(c -> handOver(List.copyOf(c.assignment())))
                .onFailure(this::rejoin)
                .health(health)
                .build();
    }

    private ConsumerRebalanceListener rebalances(KafkaConsumer<String, byte[]> consumer) {
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
                    offsets.assigned(consumer, parts);
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

    /** A record read again below where the intake was (a parked command's replay), under the lock. */
    private boolean replayed(KafkaConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> r,
            Set<TopicPartition> sought) {
        lock.lock();
        try {
            return buffer.replayed(c, r, sought);
        } finally {
            lock.unlock();
        }
    }

    /** Buffered commands go to free slots, fairly across tenants, while there are any. With {@link #lock} held. */
    private void dispatchBuffered() {
        FairIntakeQueue<FetchedCommand> queue = buffer.queue();
        while (!queue.isEmpty()) {
            // the last free slot(s) only for a tenant with nothing running: while one tenant fills every other slot,
            // another's first task starts as soon as it is fetched instead of waiting for one of those runs to end
            boolean reserved = dispatcher.available() <= RESERVED_SLOTS;
            FairIntakeQueue.Next<FetchedCommand> next = queue.next(reserved);
            if (next == null) {
                return; // only tenants with runs going wait: the reserved slot stays free
            }
            FetchedCommand f = next.item();
            TopicPartition tp = f.partition();
            long offset = f.record().offset();
            TaskCommand cmd = f.command();
            if (cmd == null) {
                queue.take(next, false);
                offsets.finished(tp, offset);
                continue;
            }
            String key = next.key();
            TaskRun[] holder = new TaskRun[1];
            TaskRun run = dispatcher.trySubmit(cmd, () -> ended(holder, f, key),
                    reserved ? TaskDispatcher.Lane.OWN_THREAD : TaskDispatcher.Lane.SHARED);
            if (run == null) {
                return; // no free slot: the next run to end hands its slot on
            }
            holder[0] = run; // under the lock, which ended() takes first: it always sees its run
            runs.put(run, tp);
            queue.take(next, true);
            if (LOG.isDebugEnabled()) {
                // where a task's wait before its run goes (issue 19's fairness): the hop to this worker, then the buffer
                long now = System.currentTimeMillis();
                LOG.debugf("task %s (tenant %s) started: fetched %d ms after it was written, then %d ms in the intake"
                        + " buffer (%d commands wait, %d slots free%s); dispatched at %d", cmd.taskId(),
                        f.tenant() == null ? "-" : f.tenant(), f.fetchedAt() - f.record().timestamp(),
                        now - f.fetchedAt(), queue.size(), dispatcher.available(),
                        reserved ? ", on the reserved slot" : "", now);
            }
        }
    }

    /**
     * On the run's thread, once its slot is free: its offset is finished (or kept for a retry, or for the next owner
     * when abandoned), its tenant counts one run less, and the slot goes to the next buffered command now.
     */
    private void ended(TaskRun[] holder, FetchedCommand f, String key) {
        lock.lock();
        try {
            TaskRun self = holder[0];
            runs.remove(self);
            buffer.queue().ended(key);
            if (!self.abandoned() && self.unreported() != null) {
                // its end did not reach Kafka: the offset stays uncommitted and the command runs again here
                retries.add(f);
            } else if (!self.abandoned()) {
                // an abandoned run did not finish its command: its offset stays uncommitted for the next owner
                offsets.finished(f.partition(), f.record().offset());
            }
            dispatchBuffered();
        } finally {
            lock.unlock();
        }
    }

    /** Partitions leave this worker: stop their runs quietly, keep committed offsets where they were. */
    private void handOver(Collection<TopicPartition> parts) {
        if (parts.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            buffer.drop(parts); // first: no run ending meanwhile starts one of their commands here
            dispatcher.abandon(run -> parts.contains(runs.get(run)));
        } finally {
            lock.unlock();
        }
        offsets.handOver(consumer, parts);
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
