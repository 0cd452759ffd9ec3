package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.PacedCommits;

/**
 * What the task event reader does with each poll (on its thread): folds the events into the {@link TaskView}, hands
 * the changed tasks to the {@link TaskStateWriter}, hands the positions the folds reached to the store's
 * {@link StoreCheckpointer}, and commits to Kafka the positions whose state records are written. When the reader
 * stops, {@link #stop} saves the last checkpoint and commits what became durable.
 *
 * <p>One per {@link KafkaTaskStateSync}: a restarted reader goes on with the same one (its positions, what it counted
 * until caught up, whether the store holds a position for every partition).
 */
final class TaskEventFold {
    /** The sync's log category, which its messages always had (log settings may name it). */
    private static final Logger LOG = Logger.getLogger(KafkaTaskStateSync.class);
    /** Longest the store's checkpoint lags the folds while events arrive (and after the last of them). */
    static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);
    /** Longest a stopping reader waits for its last checkpoint (within the poll loop's own close wait). */
    private static final Duration LAST_CHECKPOINT_WAIT = Duration.ofSeconds(8);

    private final TaskView view;
    private final TaskStateWriter writer;
    private final BiConsumer<TaskEvent, Task> afterFold;
    private final CatchUp caughtUp;
    /**
     * The durable positions, committed once per {@code codetether.kafka.commit-interval} (reader thread only): one
     * commit per poll wrote a {@code __consumer_offsets} record per partition every few events (issue 18); a cold
     * restart folds at most that much more again, and each task skips the offsets it has.
     */
    private final PacedCommits commits;
    /**
     * Writes the store's checkpoint (a commit of the store file, which rewrites and compresses every page changed
     * since the last one) on its own thread, at most once per {@link #CHECKPOINT_EVERY}: one per poll, on the
     * reader, was a quarter of the gateway's CPU per accepted task (issue 20), and once a second on the reader it
     * still held every fold behind it while it ran (issue 18). A checkpoint that lags the folds only makes a restart
     * fold that much more of the log's tail again (each task skips the offsets it has). Made by
     * {@link #startCheckpoints}.
     */
    private volatile StoreCheckpointer checkpoints;
    /**
     * Events the reader handed to the fold until it caught up (reader thread; read by the start once caught up):
     * what a start's catch-up read, apart from the store, the Kafka lookups and the boot around it.
     */
    private long catchUpRecords;
    /** Whether the store's checkpoint has a position for every events partition (written once caught up). */
    private volatile boolean positionsStored;

    TaskEventFold(TaskView view, TaskStateWriter writer, BiConsumer<TaskEvent, Task> afterFold, CatchUp caughtUp,
            PacedCommits commits) {
        this.view = view;
        this.writer = writer;
        this.afterFold = afterFold;
        this.caughtUp = caughtUp;
        this.commits = commits;
    }

    /** Starts the store's checkpoint thread, once (a second start keeps the first one's). */
    void startCheckpoints(TaskStore store, String instanceId) {
        if (checkpoints == null) {
            checkpoints = new StoreCheckpointer(store, CHECKPOINT_EVERY, "task-store-checkpoint-" + instanceId);
        }
    }

    /** The store's checkpoint thread (null before the first start). */
    StoreCheckpointer checkpoints() {
        return checkpoints;
    }

    /** Events read until the reader caught up (read once caught up). */
    long catchUpRecords() {
        return catchUpRecords;
    }

    /**
     * One poll's events: folded (those of tasks a client waits on first, {@link TaskView#listenedFirst}), the changed
     * tasks handed to the state writer (every change but streamed partial output, {@link TaskStateWriter#persists}),
     * and the positions its writes made durable committed. The reader
     * never waits for Kafka here: the writer flushes on its own thread, and a position is committed only once the
     * state records of the events before it are written.
     */
    void fold(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> tap) {
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
            checkpoints.offer(TaskStateRestore.positions(tap, records.partitions(),
                    KafkaTaskStateSync.EVENTS_POSITION));
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
            checkpoints.offerNow(TaskStateRestore.positions(tap, caughtUp.partitions(),
                    KafkaTaskStateSync.EVENTS_POSITION));
            positionsStored = true;
        }
    }

    /** The reader stops: its last checkpoint saved, then what became durable committed. */
    void stop(KafkaConsumer<String, byte[]> tap) {
        saveCheckpoint();
        commitPaced(tap);
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
}
