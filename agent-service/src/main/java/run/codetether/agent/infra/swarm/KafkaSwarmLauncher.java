package run.codetether.agent.infra.swarm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.swarm.SwarmLauncher;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmState;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.TaskEventGate;

/**
 * {@link SwarmLauncher} on Kafka: commands go to {@code swarm.requested} keyed by swarmId; one reader thread,
 * started with the first watch, follows {@code swarm.state} from its beginning (compacted: the latest state of every
 * swarm, so a swarm that ended while no worker waited for it is still found) and {@code tasks.events} from its end
 * (live progress of the watched swarm tasks only; other records are skipped by key before decoding). Ended swarms
 * are remembered (the newest {@code rememberFinished}) so a watch opened later finds them. Thread-safe.
 *
 * <p>While no watch is open the {@code tasks.events} partitions rest ({@link TaskEventGate}, issue 18): an agent that
 * ran one swarm no longer fetches every task's events for good. A watch is registered with the topic's end offsets
 * read first and is opened before its swarm starts, so none of that swarm's progress lies before them.
 *
 * <p>No lock is held across a broker call (issue 20 point 5): the reader delivers other swarms' ends and progress
 * while a watch waits for the broker. A watch reads the end offsets through the (thread-safe) admin client with no
 * lock; a missing reader is opened and positioned with no lock and only installed under it (a watch that lost the
 * race closes its spare consumer, having started nothing). The lock guards the watch lists, the ended swarms and the
 * reader's fields, and is taken for nothing else.
 */
public final class KafkaSwarmLauncher implements SwarmLauncher, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSwarmLauncher.class);

    private final KafkaClients kafka;
    private final int rememberFinished;
    /** Guards the watch lists, {@link #finished} and the fields below; never held across a broker call. */
    private final Object lock = new Object();
    /** swarmId -> open watches. */
    private final Map<String, List<Queue>> bySwarm = new ConcurrentHashMap<>();
    /** swarm task id -> open watches (progress arrives keyed by task id). */
    private final Map<String, List<Queue>> byTask = new ConcurrentHashMap<>();
    private final Map<String, Update.Finished> finished;
    /** Records of {@code tasks.events} the reader fetched (tests: an idle watcher fetches none). */
    private final AtomicLong taskEventsRead = new AtomicLong();
    private KafkaProducer<String, byte[]> producer;
    private Reader reader;
    /** Reads the end offsets of {@code tasks.events} for a registration, on the watching thread (thread-safe). */
    private Admin endProbe;
    private boolean closed;
    /** Runs before each registration's end-offset read (tests hold a watch there to see what goes on meanwhile). */
    volatile Runnable beforeEndOffsets = () -> {};

    /** The running reader, its gate over its {@code tasks.events} partitions (a replaced reader starts anew). */
    private record Reader(PollLoop<String, byte[]> loop, TaskEventGate gate, List<TopicPartition> events) {
        boolean alive() {
            return loop.state() != PollLoop.State.FAILED && loop.state() != PollLoop.State.STOPPED;
        }
    }

    /** A consumer assigned and positioned for a new reader, not yet reading. */
    private record Positioned(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> events) {}

    public KafkaSwarmLauncher(String bootstrap, int rememberFinished) {
        this(KafkaClients.forBootstrap(bootstrap), rememberFinished);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaSwarmLauncher(KafkaClients kafka, int rememberFinished) {
        this.kafka = kafka;
        this.rememberFinished = rememberFinished;
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Update.Finished> eldest) {
                return size() > KafkaSwarmLauncher.this.rememberFinished;
            }
        };
    }

    @Override
    public Watch watch(String swarmId, String swarmTaskId) {
        Queue q = new Queue(swarmId, swarmTaskId);
        Reader r = reader();
        Admin probe = endProbe();
        r.gate().register(() -> endOffsets(probe, r.events()), () -> {
            synchronized (lock) {
                bySwarm.computeIfAbsent(swarmId, k -> new ArrayList<>()).add(q);
                byTask.computeIfAbsent(swarmTaskId, k -> new ArrayList<>()).add(q);
                Update.Finished done = finished.get(swarmId);
                if (done != null) {
                    q.updates.add(done);
                }
            }
        });
        return q;
    }

    private Map<TopicPartition, Long> endOffsets(Admin probe, List<TopicPartition> parts) {
        beforeEndOffsets.run();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            probe.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end of " + Topics.TASKS_EVENTS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end of " + Topics.TASKS_EVENTS + " for a swarm watch: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    private Admin endProbe() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the swarm launcher is closed");
            }
            if (endProbe == null) {
                endProbe = kafka.admin("agent-swarm-ends-" + UUID.randomUUID().toString().substring(0, 8));
            }
            return endProbe;
        }
    }

    @Override
    public void start(SwarmCommand.StartSwarm command) {
        send(command);
    }

    @Override
    public void cancel(SwarmCommand.CancelSwarm command) {
        // the calling thread was interrupted (its task canceled): send with the flag cleared, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            send(command);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void send(SwarmCommand command) {
        KafkaProducer<String, byte[]> p;
        synchronized (lock) {
            if (producer == null) {
                producer = kafka.producer("agent-swarm-" + UUID.randomUUID().toString().substring(0, 8),
                        Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"), new StringSerializer(), new ByteArraySerializer());
            }
            p = producer;
        }
        try {
            p.send(new ProducerRecord<>(Topics.SWARM_REQUESTED, command.swarmId(), ContractJson.write(command)))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing swarm command for " + command.swarmId());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + Topics.SWARM_REQUESTED + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    /**
     * The running reader, positioned before this returns, so every progress event after the watch is seen. A reader
     * that died (broker error) is replaced by the next watch; its replacement reads swarm.state from the start again.
     */
    private Reader reader() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the swarm launcher is closed");
            }
            if (reader != null && reader.alive()) {
                return reader;
            }
        }
        Positioned fresh = position(); // broker calls: no lock held
        KafkaConsumer<String, byte[]> spare = null;
        Reader r;
        synchronized (lock) {
            if (closed || (reader != null && reader.alive())) {
                spare = fresh.consumer(); // another watch installed one meanwhile (or the launcher closed)
                r = closed ? null : reader;
            } else {
                List<TopicPartition> events = fresh.events();
                TaskEventGate g = new TaskEventGate(byTask::isEmpty);
                // positioned on this thread before the loop thread starts (Thread.start orders the two)
                r = new Reader(PollLoop.builder("agent-swarm-watch", fresh.consumer())
                        .beforePoll(c -> g.beforePoll(c, events))
                        .onRecord(this::onRecord)
                        .onFailure(e -> LOG.warn("swarm watch reader stopped; the next swarm watch starts a new one"))
                        .start(), g, events);
                reader = r;
            }
        }
        if (spare != null) {
            spare.close(Duration.ZERO);
        }
        if (r == null) {
            throw new IllegalStateException("the swarm launcher is closed");
        }
        return r;
    }

    /** A consumer on swarm.state from its beginning and tasks.events from its end, positioned (broker calls). */
    private Positioned position() {
        KafkaConsumer<String, byte[]> c = kafka.consumer("agent-swarm-watch-" + UUID.randomUUID().toString()
                .substring(0, 8), Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> states = partitions(c, Topics.SWARM_STATE);
            List<TopicPartition> events = partitions(c, Topics.TASKS_EVENTS);
            List<TopicPartition> all = new ArrayList<>(states);
            all.addAll(events);
            c.assign(all);
            c.seekToBeginning(states);
            c.seekToEnd(events);
            events.forEach(c::position);
            return new Positioned(c, events);
        } catch (RuntimeException e) {
            c.close(Duration.ZERO);
            throw e;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    /** An unreadable record is logged and skipped by the loop. */
    private void onRecord(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null || r.key() == null) {
            return;
        }
        if (r.topic().equals(Topics.SWARM_STATE)) {
            onState(r);
            return;
        }
        taskEventsRead.incrementAndGet();
        if (byTask.containsKey(r.key())) {
            onEvent(ContractJson.read(r.value(), TaskEvent.class));
        }
    }

    private void onState(ConsumerRecord<String, byte[]> r) {
        SwarmState s = ContractJson.read(r.value(), SwarmState.class);
        if (!s.phase().isFinished()) {
            return;
        }
        Update.Finished done = new Update.Finished(s.phase(), s.answer(), s.error());
        synchronized (lock) {
            finished.put(s.swarmId(), done);
            bySwarm.getOrDefault(s.swarmId(), List.of()).forEach(q -> q.updates.add(done));
        }
    }

    private void onEvent(TaskEvent event) {
        if (!(event instanceof TaskEvent.StatusChanged s) || s.status().state() != TaskState.WORKING
                || s.status().message() == null) {
            return; // the end comes from swarm.state, which also carries the answer
        }
        Update.Progress p = new Update.Progress(s.status().message().text(), s.metadata());
        synchronized (lock) {
            byTask.getOrDefault(event.taskId(), List.of()).forEach(q -> q.updates.add(p));
        }
    }

    /** Whether the reader rests on {@code tasks.events} (tests). */
    boolean taskEventsPaused() {
        synchronized (lock) {
            return reader != null && reader.gate().paused();
        }
    }

    /** Records of {@code tasks.events} fetched so far (tests). */
    long taskEventsRead() {
        return taskEventsRead.get();
    }

    @Override
    public void close() {
        Reader r;
        KafkaProducer<String, byte[]> p;
        Admin probe;
        synchronized (lock) { // field access only; the broker calls below run outside it
            closed = true;
            r = reader;
            p = producer;
            probe = endProbe;
        }
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
        if (r != null) {
            r.loop().close();
        }
        if (probe != null) {
            probe.close(Duration.ofSeconds(5));
        }
    }

    /** One open watch. */
    private final class Queue implements Watch {
        final String swarmId;
        final String taskId;
        final LinkedBlockingQueue<Update> updates = new LinkedBlockingQueue<>();

        Queue(String swarmId, String taskId) {
            this.swarmId = swarmId;
            this.taskId = taskId;
        }

        @Override
        public Update next(Duration max) throws InterruptedException {
            return updates.poll(max.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            synchronized (lock) {
                remove(bySwarm, swarmId);
                remove(byTask, taskId);
            }
        }

        private void remove(Map<String, List<Queue>> map, String key) {
            List<Queue> list = map.get(key);
            if (list != null) {
                list.remove(this);
                if (list.isEmpty()) {
                    map.remove(key);
                }
            }
        }
    }
}
