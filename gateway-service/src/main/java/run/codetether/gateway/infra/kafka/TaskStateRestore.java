package run.codetether.gateway.infra.kafka;

import static run.codetether.gateway.infra.kafka.KafkaTaskStateSync.EVENTS_POSITION;
import static run.codetether.gateway.infra.kafka.KafkaTaskStateSync.READ_COMMITTED;
import static run.codetether.gateway.infra.kafka.KafkaTaskStateSync.STATE_POSITION;
import static run.codetether.gateway.infra.kafka.KafkaTaskStateSync.SUMMARY_HEADER;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.SummaryCodec;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.OutageRetry;
import run.codetether.platform.kafka.ReadToEnd;

/**
 * The start-up half of {@link KafkaTaskStateSync}: which log the store was filled from, whether its checkpoint still
 * covers the events, and the cold read of {@code tasks.state} into the store. Each of its Kafka calls waits out a
 * broker that does not answer for {@code codetether.kafka.outage-budget} ({@link OutageRetry}; the read itself,
 * {@link ReadToEnd}, the same way), so a broker that goes away during a restore costs the wait, not a restart of the
 * restore (issue 19).
 */
final class TaskStateRestore {
    private static final Logger LOG = Logger.getLogger(TaskStateRestore.class);
    /** Records of a cold start's state read between two checkpoints (an interrupted cold start resumes there). */
    private static final int RESTORE_CHECKPOINT_EVERY = 20_000;

    private final KafkaClients kafka;
    private final String instanceId;
    private final TaskView view;

    TaskStateRestore(KafkaClients kafka, String instanceId, TaskView view) {
        this.kafka = kafka;
        this.instanceId = instanceId;
        this.view = view;
    }

    /** What a start looks up in Kafka: the topics' ids, the events' partitions and the first offset of each. */
    record Lookup(String origin, List<TopicPartition> parts, Map<TopicPartition, Long> begin) {}

    /**
     * The topics' ids (an Admin client, on a thread of its own) and, at the same time on this thread, the events'
     * partitions and first offsets ({@code tap}). At start-up each Kafka client's first steps are mostly CPU (class
     * loading, its first metadata), and on a busy machine two threads get about twice the share of one: a warm
     * restart does little else (bench/README.md "Gateway task store"). Each call waits out an outage for the
     * clients' budget.
     */
    static Lookup lookup(KafkaClients kafka, String instanceId, KafkaConsumer<?, ?> tap, Duration timeout) {
        CompletableFuture<String> origin = new CompletableFuture<>();
        Thread.ofPlatform().name("task-store-origin-" + instanceId).daemon().start(() -> {
            try {
                origin.complete(origin(kafka, instanceId, timeout));
            } catch (Throwable t) {
                origin.completeExceptionally(t);
            }
        });
        Duration budget = kafka.outageBudget();
        List<TopicPartition> parts = CatchUp.partitionsOf(tap, Topics.TASKS_EVENTS, timeout, budget);
        if (parts.isEmpty()) {
            throw new IllegalStateException("Kafka topic " + Topics.TASKS_EVENTS + " does not exist");
        }
        Map<TopicPartition, Long> begin = OutageRetry.call("the first offsets of " + Topics.TASKS_EVENTS, budget,
                () -> tap.beginningOffsets(parts, timeout));
        try {
            return new Lookup(origin.get(), parts, begin);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the task topics", e);
        }
    }

    /**
     * The events positions the store's checkpoint covers, when it has one for every partition and the log still
     * holds the events after each (else null: the store must be filled from tasks.state).
     */
    Map<TopicPartition, Long> storedPositions(Lookup found) {
        Map<String, Long> checkpoint = view.store().checkpoint();
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : found.parts()) {
            Long at = checkpoint.get(EVENTS_POSITION + tp.partition());
            if (at == null || at < found.begin().get(tp)) {
                return null;
            }
            out.put(tp, at);
        }
        return out;
    }

    /**
     * The topics' ids: a store filled from other topics (recreated, another cluster) is emptied first. A try that
     * times out is made again (an outage); a topic the broker says does not exist fails at once.
     */
    private static String origin(KafkaClients kafka, String instanceId, Duration timeout) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Admin admin = kafka.admin("gateway-" + instanceId + "-origin")) {
            Map<String, TopicDescription> d = OutageRetry.call("the ids of " + Topics.TASKS_STATE + " and "
                    + Topics.TASKS_EVENTS, kafka.outageBudget(), () -> {
                        try {
                            // the call ends at the timeout in the admin client too: nothing left pending per try
                            return admin.describeTopics(List.of(Topics.TASKS_STATE, Topics.TASKS_EVENTS),
                                    new DescribeTopicsOptions().timeoutMs(ms)).allTopicNames()
                                    .get(ms, TimeUnit.MILLISECONDS);
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                                // retriable to Kafka (metadata may lag), but here a missing topic: say so now (no
                                // cause: a retriable one in the chain would make it an outage)
                                throw new IllegalStateException(e.getCause().toString());
                            }
                            throw e;
                        }
                    });
            return d.get(Topics.TASKS_STATE).topicId() + "/" + d.get(Topics.TASKS_EVENTS).topicId();
        } catch (OutageRetry.Spent e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot describe " + Topics.TASKS_STATE + " and " + Topics.TASKS_EVENTS
                    + " (do they exist?): " + e, e);
        }
    }

    /**
     * Reads tasks.state from the store's checkpoint (or the beginning) to its end offsets of the start, checkpointing
     * as it goes: each checkpoint names, per partition, the offset after the last record restored (an interrupted
     * cold start resumes exactly there). A broker that goes away mid-read is waited for ({@link ReadToEnd}, for the
     * clients' outage budget) and the read goes on where it was; a read that fails all the same (an outage past the
     * budget, the deadline) checkpoints what it restored first, so the next start goes on from there.
     */
    int restoreState(Duration timeout) {
        TaskStore store = view.store();
        try (KafkaConsumer<String, byte[]> c = kafka.consumer("gateway-" + instanceId + "-state", Optional.empty(),
                READ_COMMITTED, new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> from = new HashMap<>();
            store.checkpoint().forEach((key, at) -> {
                if (key.startsWith(STATE_POSITION)) {
                    from.put(new TopicPartition(Topics.TASKS_STATE,
                            Integer.parseInt(key.substring(STATE_POSITION.length()))), at);
                }
            });
            Map<String, Long> restored = new HashMap<>();
            int[] sinceCheckpoint = {0};
            ReadToEnd.Result read;
            try {
                read = ReadToEnd.of(Topics.TASKS_STATE, c, timeout).topic(Topics.TASKS_STATE)
                        .outageBudget(kafka.outageBudget()).startAt(from).forEach(r -> {
                            restore(r);
                            restored.put(STATE_POSITION + r.partition(), r.offset() + 1);
                            if (++sinceCheckpoint[0] >= RESTORE_CHECKPOINT_EVERY) {
                                sinceCheckpoint[0] = 0;
                                store.checkpoint(Map.copyOf(restored));
                            }
                        });
            } catch (RuntimeException e) {
                if (sinceCheckpoint[0] > 0) {
                    try {
                        store.checkpoint(Map.copyOf(restored)); // every record before these offsets is in the store
                    } catch (RuntimeException checkpointFailed) {
                        e.addSuppressed(checkpointFailed); // the read's failure stays the one reported
                    }
                }
                throw e;
            }
            Map<String, Long> end = new HashMap<>();
            read.next().forEach((tp, next) -> end.put(STATE_POSITION + tp.partition(), next));
            store.checkpoint(end);
            return (int) read.records();
        }
    }

    private void restore(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            view.remove(r.key());
            return;
        }
        try {
            long offset = KafkaTaskStateSync.offsetOf(r);
            Header summary = r.headers().lastHeader(SUMMARY_HEADER);
            if (summary != null) {
                view.restoreEncoded(SummaryCodec.withOffset(SummaryCodec.decode(summary.value()), offset), r.value(),
                        json -> ContractJson.read(json, Task.class));
            } else {
                view.restore(ContractJson.read(r.value(), Task.class), offset); // written before the header
            }
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable state record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    /**
     * After a cold start's read of {@code tasks.state}: each task in progress is there as of its last non-partial
     * change (streamed partial output is not written there, {@link TaskStateWriter#persists}), so its later partial
     * events are only in {@code tasks.events}. Each events partition is read from the oldest such task's state offset
     * (when that is before the group's committed position), and the view folds those events again; it skips what a
     * task already holds. So a restarted replica shows the latest streamed text of a task that is mid-stream.
     */
    void rewindToInProgress(KafkaConsumer<?, ?> tap, List<TopicPartition> parts, Duration timeout) {
        Map<Integer, Long> oldest = new HashMap<>();
        for (TaskStore.Summary s : view.store().resident()) {
            oldest.merge(eventsPartition(s.id(), parts.size()), s.offset() + 1, Math::min);
        }
        if (oldest.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = OutageRetry.call("the committed positions of "
                + Topics.TASKS_EVENTS, kafka.outageBudget(),
                () -> tap.committed(java.util.Set.copyOf(parts), timeout));
        for (TopicPartition tp : parts) {
            Long from = oldest.get(tp.partition());
            OffsetAndMetadata at = committed.get(tp);
            if (from != null && at != null && at.offset() > from) {
                LOG.debugf("events of %s read again from %d (committed %d): tasks in progress since then", tp, from,
                        at.offset());
                tap.seek(tp, from);
            }
        }
    }

    /** The events partition of a task: the producers' default partitioner over the task id as the key. */
    static int eventsPartition(String taskId, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                taskId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    static Map<String, Long> positions(KafkaConsumer<?, ?> c, Collection<TopicPartition> parts,
            String prefix) {
        Map<String, Long> out = new HashMap<>();
        for (TopicPartition tp : parts) {
            out.put(prefix + tp.partition(), c.position(tp));
        }
        return out;
    }
}
