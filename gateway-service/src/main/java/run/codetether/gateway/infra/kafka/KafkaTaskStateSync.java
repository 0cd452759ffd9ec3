package run.codetether.gateway.infra.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.SummaryCodec;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

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
 * at most {@link TaskEventFold#CHECKPOINT_EVERY} behind them), so a restart resumes without losing or
 * double-applying anything. Both read {@code read_committed}. The per-poll work is the {@link TaskEventFold}'s;
 * the reader and its supervisor are the {@link TaskEventReader}'s; the cold read of {@code tasks.state} is the
 * {@link TaskStateRestore}'s.
 *
 * <p>Every replica writes the same folded value for a task (folding is deterministic), so N replicas cost N
 * identical state writes that compaction collapses; no coordination between replicas is needed.
 *
 * <p>The event reader is a platform {@code PollLoop} (reported in the service's {@link LoopHealth}); when it dies,
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
    private final String instanceId;
    private final TaskView view;
    private final CatchUp caughtUp = new CatchUp();
    private final TaskStateRestore restore;
    private final TaskEventFold fold;
    private final TaskEventReader reader;
    private volatile StartReport lastStart;

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
        this.instanceId = instanceId;
        this.view = view;
        this.restore = new TaskStateRestore(kafka, instanceId, view);
        this.fold = new TaskEventFold(view, writer, afterFold, caughtUp, kafka.pacedCommits());
        this.reader = new TaskEventReader(kafka, health, instanceId, caughtUp, fold, restartDelay);
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
        fold.startCheckpoints(store, instanceId);
        reader.start(tap);
        try {
            caughtUp.awaitOrFail(timeout, "task events");
        } catch (RuntimeException e) {
            throw startFailed(e, began);
        }
        long now = System.nanoTime();
        lastStart = new StartReport(warm, restored, resident, (now - began) / 1_000_000, fold.catchUpRecords(),
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

    /**
     * Whether the task event reader runs: caught up once and not dead (a reader that died is restarted; it counts
     * as healthy again once the new one runs), and the store's checkpoints are written (false from a failed one,
     * or the checkpoint thread's end, until one succeeds). The gateway's readiness.
     */
    public boolean healthy() {
        return reader.healthy();
    }

    /** Why the reader is not running, if it died; empty while it runs. */
    public Optional<String> failure() {
        return reader.failure();
    }

    /** How often the reader was restarted after dying. */
    public int restarts() {
        return reader.restarts();
    }

    static long offsetOf(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(OFFSET_HEADER);
        return h == null || h.value().length != 8 ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }

    @Override
    public void close() {
        reader.close();
        StoreCheckpointer c = fold.checkpoints();
        if (c != null) {
            c.close(); // after the reader: its stop handed over (and saved) the last positions
        }
    }
}
