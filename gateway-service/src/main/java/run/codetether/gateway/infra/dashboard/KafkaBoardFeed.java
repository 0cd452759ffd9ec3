package run.codetether.gateway.infra.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.StoredTask;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.dashboard.BoardWatchers;
import run.codetether.gateway.domain.dashboard.TaskBoard;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PollLoop;

/**
 * Feeds this replica's {@link TaskBoard} from Kafka: every event of {@code tasks.events} from the last
 * {@code replayPerPartition} of each partition on (so summaries of recent tasks carry their usage after a restart),
 * and the compacted {@code tasks.state} once (owner, tenant and state of older tasks). Reads without a consumer
 * group: the board is a cache, each replica folds everything, nothing is committed. The event reader is a platform
 * {@link PollLoop} that starts again a second after it dies; it does not report to the gateway's readiness, since a
 * dashboard that lags must not take the replica out of routing. The state is read once with {@link CatchUp#readAll}.
 *
 * <p>With a task store and watchers that can become idle (the gateway's wiring), a replica nobody watches yet starts
 * paused: no replay, no read of the state topic; its first viewer gets the board from the store (issue 18). A paused
 * reader does not poll either: its thread sleeps until a dashboard request comes ({@link BoardWatchers#seen}).
 */
public final class KafkaBoardFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaBoardFeed.class);
    /** Wait between looks for a topic not created yet, and before a dead event reader starts again. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** Bounds the one-shot read of {@code tasks.state} (a cache: past this, older tasks stay unknown). */
    private static final Duration STATE_READ = Duration.ofMinutes(10);
    /**
     * Longest sleep of the paused reader between two looks (issue 18): a request wakes it at once, so this only
     * bounds how long an open stream that came without a request would go unnoticed.
     */
    static final Duration PAUSED_WAIT = Duration.ofSeconds(30);

    private final KafkaClients kafka;
    private final String instanceId;
    private final TaskBoard board;
    private final int replayPerPartition;
    private final BoardWatchers watchers;
    private final TaskStore store;
    private boolean running = true;
    /** When the event reader paused for want of a viewer (null: reading); only the reader's thread uses it. */
    private Instant pausedAt;
    private PollLoop<String, byte[]> events;
    private KafkaConsumer<String, byte[]> state;
    private Thread stateThread;

    public KafkaBoardFeed(String bootstrapServers, String instanceId, TaskBoard board, int replayPerPartition) {
        this(KafkaClients.forBootstrap(bootstrapServers), instanceId, board, replayPerPartition);
    }

    public KafkaBoardFeed(KafkaClients kafka, String instanceId, TaskBoard board, int replayPerPartition) {
        this(kafka, instanceId, board, replayPerPartition,
                new BoardWatchers(Duration.ZERO, board::subscribers, System::currentTimeMillis), null);
    }

    /**
     * @param watchers whether anyone looks: while nobody does, the event reader pauses (issue 18)
     * @param store the gateway's task store, which the board catches up from when a viewer comes back (required
     *     when {@code watchers} can become idle)
     */
    public KafkaBoardFeed(KafkaClients kafka, String instanceId, TaskBoard board, int replayPerPartition,
            BoardWatchers watchers, TaskStore store) {
        this.kafka = kafka;
        this.instanceId = instanceId;
        this.board = board;
        this.replayPerPartition = replayPerPartition;
        this.watchers = watchers;
        this.store = store;
    }

    public synchronized void start() {
        events = eventLoop().start();
        if (startsPaused()) {
            // the first viewer's catch-up restores the board's newest tasks from the store instead
            LOG.debugf("dashboard feed starts paused: nobody watches yet");
            return;
        }
        state = consumer("state");
        stateThread = Thread.ofVirtual().name("dashboard-state-" + instanceId).start(this::readState);
    }

    /**
     * Whether the feed starts without reading anything (issue 18): nobody watches yet and the task store can catch
     * the board up when someone comes. A replica nobody looks at then never decodes an event for its dashboard,
     * nor the whole of {@code tasks.state}.
     */
    private boolean startsPaused() {
        return store != null && watchers.idle();
    }

    private PollLoop<String, byte[]> eventLoop() {
        return PollLoop.builder("dashboard-events-" + instanceId,
                        eventReader(kafka, "gateway-" + instanceId + "-dashboard-events"))
                .onStart(this::replayFrom)
                .beforePoll(this::followWatchers)
                .pollTimeout(Duration.ofMillis(500))
                .onRecord(this::fold)
                .onFailure(this::restart)
                .build();
    }

    /** Takes every partition of the events topic, each from its last {@code replayPerPartition} records. */
    private void replayFrom(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = awaitTopic(c, Topics.TASKS_EVENTS);
        c.assign(partitions);
        if (startsPaused()) {
            // paused from the start: the first viewer restores every task the store has (newest first, at most
            // the board's size) and reads on from the ends then
            watchers.paused();
            c.pause(partitions);
            pausedAt = Instant.EPOCH;
            board.feedPaused(Instant.now());
            return;
        }
        pausedAt = null; // a (re)started reader replays whatever a pause skipped
        watchers.caughtUp();
        Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
        for (Map.Entry<TopicPartition, Long> end : c.endOffsets(partitions).entrySet()) {
            c.seek(end.getKey(), Math.max(begin.get(end.getKey()), end.getValue() - replayPerPartition));
        }
    }

    /**
     * Pauses the reader while nobody watches; when a viewer comes back, catches the board up and reads on from the
     * partitions' ends. The ends are read first, then every task the store saw change since the pause (newest
     * first, at most the board's size) is restored, so a change is either in the store or after the ends. The
     * store folds the same events a moment after they are written: a change in that moment before the ends is
     * missed until the task's next event (the board is a cache; GetTask reads the store).
     */
    private void followWatchers(KafkaConsumer<String, byte[]> c) {
        if (store == null) {
            return;
        }
        if (pausedAt == null) {
            if (watchers.idle() && !c.assignment().isEmpty()) {
                watchers.paused();
                c.pause(c.assignment());
                pausedAt = Instant.now();
                board.feedPaused(pausedAt);
                LOG.debugf("dashboard feed paused: nobody watches");
            }
            return;
        }
        if (watchers.idle() && !awaitViewer()) {
            return;
        }
        try {
            Map<TopicPartition, Long> ends = c.endOffsets(c.assignment(), Duration.ofSeconds(10));
            int restored = restoreChangedSince(pausedAt.minusSeconds(1)); // status timestamps are the agent's clock
            ends.forEach(c::seek);
            c.resume(c.assignment());
            pausedAt = null;
            board.feedResumed(Instant.now());
            LOG.debugf("dashboard feed caught up: %d tasks restored from the store", restored);
        } finally {
            if (pausedAt != null) {
                // could not read the ends: the reader restarts (onFailure) and replays; no request waits on it
                LOG.warnf("dashboard feed could not catch up; it restarts and replays");
            }
            watchers.caughtUp();
        }
    }

    /**
     * Sleeps on the reader's thread until a viewer comes (at most {@link #PAUSED_WAIT}): a paused consumer polled
     * every 500 ms woke the thread ten times a second for nothing (issue 18). Nothing polls meanwhile; a group-less
     * reader has no group to keep, and its positions stay where the pause left them.
     *
     * @return whether someone watches now
     */
    private boolean awaitViewer() {
        try {
            return watchers.awaitWatched(PAUSED_WAIT);
        } catch (InterruptedException e) {
            throw new InterruptException(e); // closing: the loop stops cleanly
        }
    }

    private int restoreChangedSince(Instant since) {
        int n = 0;
        Iterator<TaskStore.Summary> newest = store.newestFirst(null, null);
        while (newest.hasNext() && n < board.maxTasks()) {
            TaskStore.Summary s = newest.next();
            if (s.timestamp() != null && s.timestamp().isBefore(since)) {
                break;
            }
            var stored = store.get(s.id());
            if (stored.isPresent()) {
                board.restore(stored.get().task());
                n++;
            }
        }
        return n;
    }

    /** The gateway creates the topics at start: until they exist, look again every second. */
    private static List<TopicPartition> awaitTopic(KafkaConsumer<?, ?> c, String topic) {
        while (true) {
            List<TopicPartition> parts = partitions(c, topic);
            if (!parts.isEmpty()) {
                return parts;
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                throw new InterruptException(e); // closed while waiting: the loop stops cleanly
            }
        }
    }

    private void restart(Throwable failure) {
        LOG.warnf("dashboard event reader restarts after: %s", failure.toString());
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (running) {
                events = eventLoop().start();
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
        int[] restored = {0};
        KafkaConsumer<String, byte[]> c = state;
        try {
            awaitTopic(c, Topics.TASKS_STATE);
            CatchUp.readAll(c, Topics.TASKS_STATE, STATE_READ, r -> {
                if (r.value() == null) {
                    return;
                }
                try {
                    board.restore(StoredTask.decode(r.value())); // its status message whole
                    restored[0]++;
                } catch (RuntimeException e) {
                    // unreadable state records are reported by the gateway's own reader
                }
            });
            LOG.debugf("dashboard restored %d task states", restored[0]);
        } catch (WakeupException | InterruptException e) {
            // closed while reading
        } catch (RuntimeException e) {
            LOG.warnf("dashboard could not read %s: %s", Topics.TASKS_STATE, e.toString());
        } finally {
            Thread.interrupted(); // close() may have interrupted the read: close the consumer cleanly
            c.close(Duration.ofSeconds(1));
        }
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        return CatchUp.partitionsOf(c, topic, Duration.ofSeconds(10));
    }

    private KafkaConsumer<String, byte[]> consumer(String role) {
        return reader(kafka, "gateway-" + instanceId + "-dashboard-" + role);
    }

    /** A group-less reader of committed records, from the earliest offset (the dashboard's readers). */
    static KafkaConsumer<String, byte[]> reader(KafkaClients kafka, String clientId) {
        return kafka.consumer(clientId, Optional.empty(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The event reader: as {@link #reader}, with fetches the broker answers once 64 KiB or 250 ms gathered. One
     * fetch per few events cost the feed about as much as decoding them (issue 20); a change reaches the board
     * a quarter of a second later at most (an open page is told of changes every 250 ms by default anyway).
     */
    static KafkaConsumer<String, byte[]> eventReader(KafkaClients kafka, String clientId) {
        return kafka.consumer(clientId, Optional.empty(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "250"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        PollLoop<String, byte[]> loop;
        Thread reader;
        synchronized (this) {
            running = false;
            watchers.stopWaiting(); // a paused reader sleeps on the watchers, not in the consumer
            loop = events;
            reader = stateThread;
            if (reader != null) {
                state.wakeup(); // thread-safe; the reader closes its consumer
                reader.interrupt(); // or it waits for the topic
            }
        }
        if (loop != null) {
            loop.close();
        }
        if (reader != null) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
