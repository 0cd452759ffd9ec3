package run.codetether.gateway.infra.push;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.PushConfigStore;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.domain.handler.PushPayloads;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Delivers task updates to webhooks. Runs in the consumer group {@value #GROUP} on tasks.events, so each event is
 * delivered by exactly one replica (the owner of its partition), in order per target. The consumer thread only reads
 * and queues; its parts:
 * <ul>
 *   <li>this class reads tasks.events (skipping, by key and before decoding, the events of tasks without a config)
 *       and queues each event's deliveries;</li>
 *   <li>{@link NoConfigPause}: while no task has a config, the partitions are paused and skipped to their ends;</li>
 *   <li>{@link PushItems}: what an event delivers (the stream items, the completed answer's text put back);</li>
 *   <li>{@link PushDeliveries}: the bounded queue per target (one config of one task) and its retries with backoff,
 *       so a slow or failing webhook never stalls the reader or another webhook; {@link WebhookSender} makes the
 *       requests;</li>
 *   <li>{@link PushPositions}: the group's position is committed only up to the first event whose deliveries are not
 *       all settled, so a gateway restart resumes deliveries instead of losing them (at least once; receivers
 *       dedupe).</li>
 * </ul>
 *
 * <p>Duplicates: every request carries {@value #DELIVERY_ID_HEADER}, made of the event's place on tasks.events, the
 * item and the config, so a notification delivered again (a retry, or the partition's next reader after a restart)
 * has the id its first delivery had and a receiver can drop it. The A2A specification names no such header (it
 * asks receivers to dedupe by "unique IDs" on their own). What this reader can know it already delivered is not
 * delivered again: events settled beyond the committed position (a later event delivered while an earlier one still
 * retries) are listed in the commit's metadata, and the next reader of the partition skips them; no second write is
 * made for it. A notification whose answer came in the ~200 ms between the webhook's answer and the commit, before a
 * kill -9, is sent again (same id): nothing recorded it.
 *
 * <p>Payload: the event as a typed stream item, serialized by the {@link PushPayloads} port in the shape of the
 * version the config was made over (a 1.0 StreamResponse, or the 0.3 event object).
 */
public final class PushDispatcher implements AutoCloseable {
    public static final String GROUP = "codetether-gateway-push";
    /** The header with each notification's delivery id: equal ids are the same notification delivered again. */
    public static final String DELIVERY_ID_HEADER = "X-Codetether-Delivery-Id";
    /**
     * The thread never waits on a webhook, so a short session is safe: a dead replica's partitions move to another
     * within seconds instead of Kafka's default 45 s (6 s is the broker's minimum by default).
     */
    private static final Map<String, String> CONSUMER = Map.of(
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500",
            // a fetch answered for every few events cost this reader more than the events did (issue 20): the
            // broker gathers up to 64 KiB or 100 ms, which a webhook notification can wait
            ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536",
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100",
            // the group's heartbeat thread wakes every retry backoff to see whether a heartbeat is due: 10 times a
            // second at Kafka's 100 ms, for a heartbeat every 1.5 s (issue 18); a failed fetch or commit is tried
            // again half a second later
            ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, "500");
    private static final Logger LOG = Logger.getLogger(PushDispatcher.class);

    private final PushConfigStore store;
    private final PushPayloads payloads;
    private final PushDeliveries deliveries;
    private final NoConfigPause pause;
    private final PushItems items = new PushItems();
    /** Made at start, with the consumer. */
    private PushPositions positions;
    private PollLoop<String, byte[]> loop;
    /** Events fetched (read or skipped by key): what an idle reader saves. */
    private final AtomicLong fetched = new AtomicLong();

    public PushDispatcher(PushConfigStore store, PushPayloads payloads, UrlPolicy policy, int maxAttempts,
            Duration initialBackoff, Duration timeout) {
        this(store, payloads, policy, maxAttempts, initialBackoff, timeout, 10_000, reason -> { });
    }

    /**
     * @param maxQueued most deliveries waiting at once (more are dropped, logged and counted)
     * @param dropped told the reason of each notification given up (the metric)
     */
    public PushDispatcher(PushConfigStore store, PushPayloads payloads, UrlPolicy policy, int maxAttempts,
            Duration initialBackoff, Duration timeout, int maxQueued, Consumer<String> dropped) {
        this.store = store;
        this.payloads = payloads;
        this.deliveries = new PushDeliveries(new WebhookSender(policy, timeout), maxQueued, maxAttempts,
                initialBackoff, dropped);
        this.pause = new NoConfigPause(store);
    }

    /** Where a finished answer this reader saw only part of is looked up: the gateway's folded task view. */
    public void foldedTasks(Function<String, Optional<Task>> lookup) {
        items.foldedTasks(lookup);
    }

    /** How often the idle reader skips to the partitions' ends, and how long it sleeps at most (before start). */
    void idlePace(Duration skipEvery, Duration sleepAtMost) {
        pause.pace(skipEvery, sleepAtMost);
    }

    public void start(String bootstrap, String instanceId, boolean enabled) {
        start(KafkaClients.forBootstrap(bootstrap), new LoopHealth(), instanceId, enabled);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public void start(KafkaClients kafka, LoopHealth health, String instanceId, boolean enabled) {
        start(kafka, health, instanceId, enabled, GROUP);
    }

    /** @param group the consumer group (tests use their own beside a running gateway's) */
    void start(KafkaClients kafka, LoopHealth health, String instanceId, boolean enabled, String group) {
        if (!enabled) {
            return;
        }
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("gateway-" + instanceId + "-push", Optional.of(group),
                CONSUMER, new StringDeserializer(), new ByteArrayDeserializer());
        positions = new PushPositions(consumer, kafka.pacedCommits());
        loop = PollLoop.builder("push-" + instanceId, consumer)
                .pollTimeout(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(2))
                .onStart(c -> c.subscribe(List.of(Topics.TASKS_EVENTS), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                        positions.commit(true); // what settled so far; the rest is delivered by the next owner
                        positions.revoked(parts);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                        positions.readSettled(parts);
                        pause.assigned(consumer, parts);
                    }
                }))
                .beforePoll(c -> pause.beforePoll(c, positions))
                .onBatch((records, c) -> read(records))
                .onStop(c -> {
                    try {
                        positions.commit(true);
                    } catch (RuntimeException e) {
                        LOG.debugf("push: final commit failed: %s", e.toString());
                    }
                })
                .health(health)
                .start();
    }

    /** One poll's events: each queued for delivery, but those settled earlier and those of tasks without a config. */
    private void read(ConsumerRecords<String, byte[]> records) {
        fetched.addAndGet(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            positions.polled(tp, r.offset() + 1);
            if (positions.settledEarlier(tp, r.offset())) {
                continue; // delivered by an earlier reader of this partition (commit metadata)
            }
            if (r.key() != null && store.list(r.key()).isEmpty()) {
                // events are keyed by their task's id (TaskEvent): a task without a push config (all of them while
                // nobody asked for one) is skipped before decoding, which cost the reader more than its fetches
                // (issue 20); the config check is the same one queue() made after
                continue;
            }
            try {
                queue(tp, r.offset(), ContractJson.read(r.value(), TaskEvent.class));
            } catch (RuntimeException e) {
                LOG.warnf("push: skipping event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        positions.commit(false);
    }

    /** Queues the event's deliveries; never waits for one. */
    private void queue(TopicPartition tp, long offset, TaskEvent event) {
        List<StreamEvent> shown = items.of(event);
        if (shown.isEmpty()) {
            return; // a message goes into the history only
        }
        List<PushConfigStore.Stored> configs = store.list(event.taskId());
        if (configs.isEmpty()) {
            return;
        }
        Runnable settled = positions.open(tp, offset, configs.size() * shown.size());
        for (PushConfigStore.Stored s : configs) {
            for (int i = 0; i < shown.size(); i++) {
                deliveries.submit(s.config(), deliveryId(tp.partition(), offset, i, event.taskId(), s.config().id()),
                        payloads.serialize(shown.get(i), s.version()), settled);
            }
        }
    }

    /**
     * The id of one notification: the event's partition and offset on tasks.events and the item's index (one event
     * can be two items), then its task and config. The same event read again (a restart, a rebalance) gets the same
     * id; two configs of a task get two ids.
     */
    static String deliveryId(int partition, long offset, int item, String taskId, String configId) {
        return partition + "-" + offset + "-" + item + "/" + taskId + "/" + configId;
    }

    /** How many events this replica's reader fetched so far. */
    long fetched() {
        return fetched.get();
    }

    /** How many deliveries wait on this replica (in flight or for a retry). */
    public int queued() {
        return deliveries.queued();
    }

    @Override
    public void close() {
        pause.close(); // the idle reader sleeps on it, not in the consumer
        if (loop != null) {
            loop.close();
        }
        deliveries.close();
    }
}
