package run.codetether.gateway.infra.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.SummaryCodec;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PacedCommits;
import run.codetether.platform.kafka.PollLoop;

/**
 * Keeps this replica's {@link TaskView} equal to the log and the log's state topic up to date.
 *
 * <p>At start it opens the view's {@link TaskStore} (this replica's tasks on local disk, with the log positions they
 * cover). A store kept from an earlier run over the same topics is warm: it reads only {@code tasks.events} after its
 * checkpoint (the tail); every replica folds the same events, so no state record is needed. An empty one (or one
 * filled from other topics, or whose checkpoint the events' retention has passed) is cold: it reads the compacted {@code tasks.state} topic to its end (every task as last written, with the events
 * offset it was folded to; finished tasks go to the store undecoded), then {@code tasks.events} from this instance's
 * committed position (the beginning for a new instance), or from the oldest state offset of a task in progress when
 * that is earlier (the streamed partial output after it is not in {@code tasks.state}). Then it folds every event.
 * Each event is folded once per replica (the view skips offsets it has); every change but streamed partial output is
 * handed to the {@link TaskStateWriter}, which writes the newest version of each task to {@code tasks.state} on its
 * own thread; the position is committed to Kafka only after those writes (the store's checkpoint after the folds,
 * at most {@link #CHECKPOINT_EVERY} behind them), so a restart resumes without losing or double-applying anything. Both read {@code read_committed}.
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
    /**
     * Header on a state record: the task's summary ({@link SummaryCodec}), so a cold start stores a finished task
     * without decoding it.
     */
    public static final String SUMMARY_HEADER = "codetether-task-summary";
    /** Checkpoint keys of the store: the next offset to read per partition of each topic. */
    static final String STATE_POSITION = "state-";
    static final String EVENTS_POSITION = "events-";
    static final Map<String, String> READ_COMMITTED = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");

    private final KafkaClients kafka;
    /**
     * The durable positions, committed once per {@code codetether.kafka.commit-interval} (reader thread only): one
     * commit per poll wrote a {@code __consumer_offsets} record per partition every few events (issue 18); a cold
     * restart folds at most that much more again, and each task skips the offsets it has.
     */
    private final PacedCommits commits;
    private final LoopHealth health;
    private final String instanceId;
    private final TaskView view;
    private final TaskStateWriter writer;
    private final BiConsumer<TaskEvent, Task> afterFold;
    private final Duration restartDelay;
    private final CatchUp caughtUp = new CatchUp();
    private final TaskStateRestore restore;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean running = true;
    /** Why a restart could not start a new reader yet (null once one runs). */
    private volatile String restartFailure;
    private volatile PollLoop<String, byte[]> loop;
    private Thread supervisor;
    private volatile StartReport lastStart;
    /**
     * Events the reader handed to the fold until it caught up (reader thread; read by the start once caught up):
     * what a start's catch-up read, apart from the store, the Kafka lookups and the boot around it.
     */
    private long catchUpRecords;
    /** Whether the store's checkpoint has a position for every events partition (written once caught up). */
    private volatile boolean positionsStored;
    /**
     * Writes the store's checkpoint (a commit of the store file, which rewrites and compresses every page changed
     * since the last one) on its own thread, at most once per {@link #CHECKPOINT_EVERY}: one per poll, on the
     * reader, was a quarter of the gateway's CPU per accepted task (issue 20), and once a second on the reader it
     * still held every fold behind it while it ran (issue 18). A checkpoint that lags the folds only makes a restart
     * fold that much more of the log's tail again (each task skips the offsets it has). Made by {@link #start}.
     */
    private volatile StoreCheckpointer checkpoints;
    /** Longest the store's checkpoint lags the folds while events arrive (and after the last of them). */
    static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);
    /** Longest a stopping reader waits for its last checkpoint (within the poll loop's own close wait). */
    private static final Duration LAST_CHECKPOINT_WAIT = Duration.ofSeconds(8);

    /**
     * @param afterFold called for every event newly folded, on the reader thread (e.g. push notifications)
     */
    public KafkaTaskStateSync(String bootstrapServers, String instanceId, TaskView view,
            TaskStateWriter writer, BiConsumer<TaskEvent, Task> afterFold) {
        this(bootstrapServers, instanceId, view, writer, afterFold, Duration.ofSeconds(1));
    }

    /** @param restartDelay how long a reader that died waits before it starts again */
    public KafkaTaskStateSync(String bootstrapServers, String instanceId, TaskView view,
            TaskStateWriter writer, BiConsumer<TaskEvent, Task> afterFold, Duration restartDelay) {
        this(KafkaClients.forBootstrap(bootstrapServers), new LoopHealth(), instanceId, view, writer, afterFold,
                restartDelay);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaTaskStateSync(KafkaClients kafka, LoopHealth health, String instanceId, TaskView view,
            TaskStateWriter writer, BiConsumer<TaskEvent, Task> afterFold, Duration restartDelay) {
        this.kafka = kafka;
        this.commits = kafka.pacedCommits();
        this.health = health;
        this.restartDelay = restartDelay;
        this.instanceId = instanceId;
        this.view = view;
        this.writer = writer;
        this.afterFold = afterFold;
        this.restore = new TaskStateRestore(kafka, instanceId, view);
    }

    /**
     * Restores the state, starts following events and returns once the view has caught up with the log. With a
     * store kept from an earlier run of this replica (same topics), only the log's tail after its checkpoint is read.
     */
    public void start(Duration timeout) {
        start(timeout, timeout);
    }

    /**
     * As {@link #start(Duration)}, with its own limit for a cold start's read of {@code tasks.state} (every stored
     * task: minutes at a million), after which {@code timeout} applies to catching up with the events.
     */
    public void start(Duration timeout, Duration coldReadTimeout) {
        start(TaskStateLookups.begin(kafka, instanceId, timeout), timeout, coldReadTimeout);
    }

    /**
     * As {@link #start(Duration, Duration)}, with the Kafka lookups begun earlier by {@link TaskStateLookups#begin} (beside the
     * opening of the store and the producers).
     */
    public void start(TaskStateLookups early, Duration timeout, Duration coldReadTimeout) {
        long began = early.began();
        TaskStore store = view.store();
        TaskStateLookups.Found got = early.await(timeout);
        KafkaConsumer<String, byte[]> tap = got.tap();
        boolean warm;
        int restored = 0;
        int resident;
        long originMs;
        long residentMs;
        try {
            TaskStateRestore.Lookup found = got.found();
            String origin = found.origin();
            if (!store.origin().map(origin::equals).orElse(false)) {
                if (store.size() > 0 || store.origin().isPresent()) {
                    LOG.infof("task store was filled from other topics (%s, now %s): emptied, read again from %s",
                            store.origin().orElse("none"), origin, Topics.TASKS_STATE);
                }
                store.reset(origin);
            }
            originMs = (System.nanoTime() - began) / 1_000_000;
            resident = view.loadResident();
            residentMs = (System.nanoTime() - began) / 1_000_000 - originMs;
            Map<TopicPartition, Long> from = restore.storedPositions(found);
            warm = from != null;
            if (!warm) {
                // an empty store, or one whose events were deleted by retention since: every task from tasks.state
                // (from where an interrupted cold start got to), then the events from the group's position
                restored = restore.restoreState(coldReadTimeout);
            }
            caughtUp.assign(tap, found.parts(), CatchUp.From.COMMITTED, timeout);
            if (warm) {
                from.forEach(tap::seek); // the store holds every event before these, durably
            } else {
                restore.rewindToInProgress(tap, found.parts(), timeout);
            }
        } catch (RuntimeException e) {
            tap.close(Duration.ZERO);
            throw startFailed(e, began);
        }
        long followFrom = System.nanoTime();
        if (checkpoints == null) {
            checkpoints = new StoreCheckpointer(store, CHECKPOINT_EVERY, "task-store-checkpoint-" + instanceId);
        }
        loop = newLoop(tap).start();
        supervisor = Thread.ofPlatform().name("task-events-supervisor-" + instanceId).daemon().start(this::supervise);
        try {
            caughtUp.awaitOrFail(timeout, "task events");
        } catch (RuntimeException e) {
            throw startFailed(e, began);
        }
        long now = System.nanoTime();
        lastStart = new StartReport(warm, restored, resident, (now - began) / 1_000_000, catchUpRecords,
                (now - followFrom) / 1_000_000);
        LOG.infof("task state ready in %d ms (%s start; topics checked in %d ms, %d tasks in progress loaded from"
                + " the store in %d ms, %d records read from %s, %d events caught up on in %d ms), %d tasks stored",
                lastStart.millis(), warm ? "warm" : "cold", originMs, resident, residentMs, restored,
                Topics.TASKS_STATE, lastStart.catchUpEvents(), lastStart.catchUpMillis(), view.size());
    }

    /**
     * Logs a failed start before it is thrown on: the gateway's first start of the task state can run inside a
     * framework callback (the gRPC server's start creates the request handler) that drops the error unlogged once
     * its own wait ended; a cold read of a million tasks past {@code store.cold-read-timeout} failed so, silently,
     * and only a second start (resuming at the store's checkpoint) made the gateway ready (bench/README.md "1M stored
     * tasks, restart with flow").
     */
    private RuntimeException startFailed(RuntimeException e, long began) {
        LOG.errorf("task state start failed after %d ms: %s (what the store read so far is kept: the next start goes"
                + " on from its checkpoint)", (System.nanoTime() - began) / 1_000_000, e.getMessage());
        return e;
    }

    /**
     * What the last {@link #start} did.
     *
     * @param warm whether the store was kept from an earlier run (only the log's tail was read)
     * @param stateRecords how many {@code tasks.state} records it read
     * @param inProgress how many tasks in progress it took from the store into memory
     * @param catchUpEvents how many {@code tasks.events} records it read until it caught up with the log's end of
     *     the start (those written while it was down, and before its end offsets were taken)
     * @param catchUpMillis how long that read took, from the reader's start to caught up
     */
    public record StartReport(boolean warm, int stateRecords, int inProgress, long millis, long catchUpEvents,
            long catchUpMillis) {}

    /** What the last start did (null before one). */
    public StartReport lastStart() {
        return lastStart;
    }

    private PollLoop<String, byte[]> newLoop(KafkaConsumer<String, byte[]> tap) {
        return PollLoop.builder("task-events-" + instanceId, tap)
                .pollTimeout(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(2))
                .onBatch(this::fold)
                .onStop(c -> {
                    saveCheckpoint();
                    commitPaced(c);
                })
                .health(health)
                .build();
    }

    /**
     * One poll's events: folded (those of tasks a client waits on first, {@link TaskView#listenedFirst}), the changed
     * tasks handed to the state writer (every change but streamed partial output, {@link TaskStateWriter#persists}),
     * and the positions its writes made durable committed. The reader
     * never waits for Kafka here: the writer flushes on its own thread, and a position is committed only once the
     * state records of the events before it are written.
     */
    private void fold(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> tap) {
        long polled = System.currentTimeMillis();
        int i = 0;
        for (ConsumerRecord<String, byte[]> r : view.listenedFirst(records, ConsumerRecord::key)) {
            i++;
            if (view.folded(r.key(), r.offset())) {
                continue; // folded already (this replica's own accept): apply would skip it, undecoded is cheaper
            }
            TaskEvent event;
            try {
                event = ContractJson.read(r.value(), TaskEvent.class);
            } catch (RuntimeException e) {
                LOG.warnf("skipping unreadable task event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
                continue;
            }
            try {
                boolean persists = TaskStateWriter.persists(event);
                view.apply(event, r.offset(), v -> {
                    if (persists) {
                        writer.offer(v.task(), v.offset());
                    }
                    afterFold.accept(event, v.task());
                });
            } catch (RuntimeException e) {
                LOG.errorf("cannot fold task event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e);
            }
            if (LOG.isDebugEnabled() && event instanceof TaskEvent.StatusChanged s
                    && (s.status().state().isTerminal() || s.status().state().isInterrupted())) {
                // issue 19: where a blocking send's answer waits after its final event was written (the reader's
                // lag behind other tasks' events, then the events folded before it in the same poll)
                long now = System.currentTimeMillis();
                LOG.debugf("task %s %s folded %d ms after it was made: its poll returned %d ms after that with %d"
                        + " records, it was number %d; %d records left behind in its partition",
                        s.taskId(), s.status().state(), now - s.at().toEpochMilli(), polled - s.at().toEpochMilli(),
                        records.count(), i, tap.currentLag(new TopicPartition(r.topic(), r.partition())).orElse(-1));
            }
        }
        if (!records.isEmpty()) {
            // state records written by request threads (read-your-writes) were handed over before their events
            // were read here, so this mark waits for them too
            Map<TopicPartition, OffsetAndMetadata> reached = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                reached.put(tp, new OffsetAndMetadata(tap.position(tp)));
            }
            writer.mark(reached);
            // the store's own checkpoint, handed over after (never before) the folds of this batch put their
            // tasks into the store: a restart reads from here
            checkpoints.offer(TaskStateRestore.positions(tap, records.partitions(), EVENTS_POSITION));
        }
        commits.add(writer.durable());
        Map<TopicPartition, OffsetAndMetadata> due = commits.takeIfDue(); // on an empty poll too
        if (!due.isEmpty()) {
            tap.commitAsync(due, null);
        }
        if (!caughtUp.reached()) {
            catchUpRecords += records.count();
        }
        caughtUp.check(tap);
        if (!positionsStored && caughtUp.reached()) {
            // once, for every partition (also those without events yet): the next start is warm
            checkpoints.offerNow(TaskStateRestore.positions(tap, caughtUp.partitions(), EVENTS_POSITION));
            positionsStored = true;
        }
    }

    /** What became durable and was not committed yet, committed now (the reader stops). */
    private void commitPaced(KafkaConsumer<String, byte[]> tap) {
        commits.add(writer.durable());
        Map<TopicPartition, OffsetAndMetadata> all = commits.takeAll();
        if (!all.isEmpty()) {
            try {
                tap.commitSync(all, Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.warnf("could not commit the task-event reader's last positions (%s): a start without the store"
                        + " folds the events since the last commit again", e.getMessage());
            }
        }
    }

    /** Checkpoints every position handed over and waits for it (the reader stops). */
    private void saveCheckpoint() {
        StoreCheckpointer c = checkpoints;
        try {
            if (!c.saveNow(LAST_CHECKPOINT_WAIT)) {
                LOG.warnf("the task store's last checkpoint was not written within %s (%s): the next start folds"
                        + " the log from the checkpoint before it", LAST_CHECKPOINT_WAIT,
                        c.failure().orElse("still writing"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
     * Whether the task event reader runs: caught up once and not dead (a reader that died is restarted; it counts
     * as healthy again once the new one runs), and the store's checkpoints are written (false from a failed one,
     * or the checkpoint thread's end, until one succeeds). The gateway's readiness.
     */
    public boolean healthy() {
        PollLoop<String, byte[]> l = loop;
        StoreCheckpointer c = checkpoints;
        return caughtUp.reached() && running && restartFailure == null && l != null
                && l.state() == PollLoop.State.RUNNING && (c == null || c.failure().isEmpty());
    }

    /** Why the reader is not running, if it died; empty while it runs. */
    public Optional<String> failure() {
        String r = restartFailure;
        if (r != null) {
            return Optional.of(r);
        }
        PollLoop<String, byte[]> l = loop;
        if (l != null && l.state() == PollLoop.State.FAILED) {
            return l.status().failure();
        }
        StoreCheckpointer c = checkpoints;
        return c == null ? Optional.empty() : c.failure();
    }

    /** How often the reader was restarted after dying. */
    public int restarts() {
        return restarts.get();
    }

    static long offsetOf(ConsumerRecord<String, byte[]> r) {
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
        StoreCheckpointer c = checkpoints;
        if (c != null) {
            c.close(); // after the reader: its stop handed over (and saved) the last positions
        }
    }
}
