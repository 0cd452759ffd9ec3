package run.codetether.gateway.infra.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.IdleSignal;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.PushConfigStore;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.domain.handler.AnswerTexts;
import run.codetether.gateway.domain.handler.PushPayloads;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PacedCommits;
import run.codetether.platform.kafka.PollLoop;

/**
 * Delivers task updates to webhooks. Runs in the consumer group {@value #GROUP} on tasks.events, so each event is
 * delivered by exactly one replica (the owner of its partition), in order per target. The consumer thread only
 * reads and queues: requests and retries (with backoff) run in {@link PushDeliveries}, so a slow or failing webhook
 * never stalls the reader or another webhook. The group's position is committed only up to the first event whose
 * deliveries are not all settled (acknowledged, refused with a 4xx, out of retries, or dropped because the queue
 * was full), so a gateway restart resumes deliveries instead of losing them (at least once; receivers dedupe).
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
 * version the config was made over (a 1.0 StreamResponse, or the 0.3 event object). Headers: {@code Authorization: <scheme>
 * <credentials>} when the config has authentication, {@code X-A2A-Notification-Token} when it has a token.
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
    /** While no config exists: how often the paused reader's position moves to the partitions' ends. */
    static final Duration SKIP_EVERY = Duration.ofSeconds(10);
    /**
     * While no config exists: the longest the reader sleeps between two polls. The group's rebalances are joined in
     * a poll, so this is how long a joining or leaving replica may wait for this one.
     */
    static final Duration SLEEP_AT_MOST = Duration.ofSeconds(2);

    private final PushConfigStore store;
    private final PushPayloads payloads;
    private final UrlPolicy policy;
    private final Duration timeout;
    private final HttpClient http;
    private final PushDeliveries deliveries;
    /** Per partition: offsets of events whose deliveries are not all settled, with how many remain. */
    private final Map<TopicPartition, ConcurrentSkipListMap<Long, AtomicInteger>> unsettled = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> polled = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, String> committedMetadata = new HashMap<>();
    /**
     * Per partition: offsets of events whose deliveries all settled, above the committed position (an earlier
     * event still unsettled holds the position back); from the commit metadata after an assignment, skipped then.
     */
    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> settled = new ConcurrentHashMap<>();
    private KafkaConsumer<String, byte[]> consumer;
    /** Offsets handed over by {@link #commit}, sent at most once per interval (loop thread only). */
    private PacedCommits paced;
    private PollLoop<String, byte[]> loop;
    /** Whether the reader's partitions are paused because no task has a config; and when it last skipped ahead. */
    private boolean idle;
    private long skippedAt;
    /**
     * Rung by the config store when a config is stored: the idle reader sleeps on it between two skips instead of
     * polling its paused partitions every 200 ms (issue 18), and a config that appears wakes it at once.
     */
    private final IdleSignal configs = new IdleSignal();
    /** How often the idle reader skips ahead, and the longest it sleeps (tests change them). */
    private Duration skipEvery = SKIP_EVERY;
    private Duration sleepAtMost = SLEEP_AT_MOST;
    /** Events fetched (read or skipped by key): what an idle reader saves. */
    private final java.util.concurrent.atomic.AtomicLong fetched = new java.util.concurrent.atomic.AtomicLong();
    /** The streamed answers of tasks with a push config: a completed status's message is that text (issue 18). */
    private final AnswerTexts answers = new AnswerTexts(4096, 16L << 20);
    /**
     * The gateway's folded tasks: a completed answer that streamed partly before this reader saw it (chunks settled
     * by an earlier reader, skipped while no config existed, behind the committed position) is taken from there.
     */
    private volatile Function<String, Optional<Task>> foldedTasks = id -> Optional.empty();

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
        this.policy = policy;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.deliveries = new PushDeliveries(this::post, maxQueued, maxAttempts, initialBackoff, dropped);
        store.onStored(configs::ring);
    }

    /** Where a finished answer this reader saw only part of is looked up: the gateway's folded task view. */
    public void foldedTasks(Function<String, Optional<Task>> lookup) {
        this.foldedTasks = java.util.Objects.requireNonNull(lookup, "lookup");
    }

    /** How often the idle reader skips to the partitions' ends, and how long it sleeps at most (before start). */
    void idlePace(Duration skipEvery, Duration sleepAtMost) {
        this.skipEvery = skipEvery;
        this.sleepAtMost = sleepAtMost;
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
        paced = kafka.pacedCommits();
        consumer = kafka.consumer("gateway-" + instanceId + "-push", Optional.of(group), CONSUMER,
                new StringDeserializer(), new ByteArrayDeserializer());
        loop = PollLoop.builder("push-" + instanceId, consumer)
                .pollTimeout(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(2))
                .onStart(c -> c.subscribe(List.of(Topics.TASKS_EVENTS), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                        commit(true); // what settled so far; the rest is delivered again by the partition's next owner
                        parts.forEach(tp -> {
                            unsettled.remove(tp);
                            polled.remove(tp);
                            committed.remove(tp);
                            committedMetadata.remove(tp);
                            settled.remove(tp);
                        });
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                        readSettled(parts);
                        if (store.isEmpty()) {
                            // before this poll fetches them: the next look skips them to their ends
                            consumer.pause(parts);
                            idle = true;
                            skippedAt = System.nanoTime() - skipEvery.toNanos();
                        }
                    }
                }))
                .beforePoll(this::idleWhileNoConfig)
                .onBatch((records, c) -> {
                    fetched.addAndGet(records.count());
                    for (ConsumerRecord<String, byte[]> r : records) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        polled.put(tp, r.offset() + 1);
                        ConcurrentSkipListSet<Long> done = settled.get(tp);
                        if (done != null && done.contains(r.offset())) {
                            continue; // delivered by an earlier reader of this partition (commit metadata)
                        }
                        if (r.key() != null && store.list(r.key()).isEmpty()) {
                            // events are keyed by their task's id (TaskEvent): a task without a push config (all
                            // of them while nobody asked for one) is skipped before decoding, which cost the reader
                            // more than its fetches (issue 20); the config check is the same one queue() made after
                            continue;
                        }
                        try {
                            queue(tp, r.offset(), ContractJson.read(r.value(), TaskEvent.class));
                        } catch (RuntimeException e) {
                            LOG.warnf("push: skipping event %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                                    e.getMessage());
                        }
                    }
                    commit(false);
                })
                .onStop(c -> {
                    try {
                        commit(true);
                    } catch (RuntimeException e) {
                        LOG.debugf("push: final commit failed: %s", e.toString());
                    }
                })
                .health(health)
                .start();
    }

    /**
     * While no task has a config, fetching and skipping every event cost the gateway CPU per task for nothing
     * (issue 18): the partitions are paused, and every {@link #SKIP_EVERY} the group's position moves to their end.
     * The end offsets are read before the store is looked at, so every event behind them was written while no
     * config existed here: the same check the reader makes per event (by key), made for all of them at once. When a
     * config appears the reader resumes from the last skip; events after it are read and checked as usual. A lookup
     * that times out in a broker outage throws out of this hook; the loop tries the pass again with backoff for
     * {@code codetether.kafka.outage-budget} (issue 19: once it ended the reader, and the gateway exited 4).
     *
     * <p>Between two polls the idle reader sleeps here, on the loop's thread, until the store says a config was
     * stored (then it resumes at once: a config's first delivery waits no poll timeout), the next skip is due, or
     * {@link #SLEEP_AT_MOST}: a paused consumer polled every 200 ms woke the thread 20 times a second. The group is
     * served by its heartbeat thread meanwhile; a rebalance is joined at the next poll. A skip every 10 s instead of
     * 2 s saves an offsets request every 2 s; a config that appears resumes from up to 10 s back (each event read
     * again is skipped by its key without decoding).
     */
    private void idleWhileNoConfig(KafkaConsumer<String, byte[]> c) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        long rang = configs.rings(); // before the store is looked at: a config stored after it ends the sleep
        long now = System.nanoTime();
        boolean skipped = false;
        if (!idle || now - skippedAt >= skipEvery.toNanos()) {
            Map<TopicPartition, Long> ends = store.isEmpty() ? c.endOffsets(assigned, Duration.ofSeconds(5)) : null;
            if (ends != null && store.isEmpty()) {
                c.pause(assigned);
                ends.forEach((tp, end) -> {
                    if (end > c.position(tp)) {
                        c.seek(tp, end);
                    }
                    polled.put(tp, c.position(tp));
                });
                commit(false);
                idle = true;
                skippedAt = now;
                skipped = true;
            }
        }
        if (idle && store.isEmpty()) {
            if (!skipped) {
                c.pause(assigned); // a partition assigned since the last skip
            }
            sleepUntilConfig(rang, Math.min(sleepAtMost.toNanos(),
                    skipEvery.toNanos() - (System.nanoTime() - skippedAt)));
        }
        if (idle && !store.isEmpty()) {
            c.resume(c.paused());
            idle = false;
        }
    }

    private void sleepUntilConfig(long rang, long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            configs.await(rang, Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            throw new org.apache.kafka.common.errors.InterruptException(e); // closing: the loop stops cleanly
        }
    }

    /** Queues the event's deliveries; never waits for one. */
    private void queue(TopicPartition tp, long offset, TaskEvent event) {
        // a final status that finishes the answer artifact is two items, the artifact's last chunk first (issue 18)
        AnswerTexts.Shown shown = answers.apply(event);
        if (shown != null && !shown.complete() && event instanceof TaskEvent.StatusChanged s) {
            shown = whole(s).orElse(shown);
            if (!shown.complete()) {
                LOG.warnf("push: task %s's answer streamed partly before this reader saw it and the folded task does"
                        + " not hold it yet; its final status's message holds only the text after that (GetTask"
                        + " shows it whole)", event.taskId());
            }
        }
        List<StreamEvent> items = StreamEvent.items(event, placeholder(event, shown));
        if (items.isEmpty()) {
            return; // a message goes into the history only
        }
        List<PushConfigStore.Stored> configs = store.list(event.taskId());
        if (configs.isEmpty()) {
            return;
        }
        AtomicInteger remaining = new AtomicInteger(configs.size() * items.size());
        ConcurrentSkipListMap<Long, AtomicInteger> open = unsettled.computeIfAbsent(tp,
                k -> new ConcurrentSkipListMap<>());
        ConcurrentSkipListSet<Long> done = settled.computeIfAbsent(tp, k -> new ConcurrentSkipListSet<>());
        open.put(offset, remaining);
        for (PushConfigStore.Stored s : configs) {
            for (int i = 0; i < items.size(); i++) {
                deliveries.submit(s.config(), deliveryId(tp.partition(), offset, i, event.taskId(), s.config().id()),
                        payloads.serialize(items.get(i), s.version()), () -> {
                            if (remaining.decrementAndGet() == 0) {
                                done.add(offset); // before it leaves the open ones: a commit never misses it
                                open.remove(offset);
                            }
                        });
            }
        }
    }

    /**
     * The finished answer from the folded task, for a status whose streamed text this reader saw only part of: its
     * status when the fold has it (the fold rebuilds the message whole), else the answer artifact's folded text up
     * to where the status's rest goes. Empty when the fold is behind (or the task is unknown there).
     */
    private Optional<AnswerTexts.Shown> whole(TaskEvent.StatusChanged s) {
        Optional<Task> task;
        try {
            task = foldedTasks.apply(s.taskId());
        } catch (RuntimeException e) {
            LOG.debugf("push: no folded task %s to complete its answer from: %s", s.taskId(), e.toString());
            return Optional.empty();
        }
        if (task.isEmpty()) {
            return Optional.empty();
        }
        Task t = task.get();
        TaskStatus folded = t.status();
        if (folded != null && folded.state() == s.status().state() && folded.message() != null
                && s.status().message() != null
                && java.util.Objects.equals(folded.message().messageId(), s.status().message().messageId())) {
            return Optional.of(new AnswerTexts.Shown(folded, true));
        }
        long offset = s.finishes().offset();
        if (t.artifacts() != null) {
            for (run.codetether.contracts.a2a.Artifact a : t.artifacts()) {
                if (!a.artifactId().equals(s.finishes().artifactId())) {
                    continue;
                }
                StringBuilder text = new StringBuilder();
                a.parts().forEach(p -> {
                    if (p instanceof run.codetether.contracts.a2a.Part.Text x) {
                        text.append(x.text());
                    }
                });
                if (text.length() >= offset) {
                    return Optional.of(new AnswerTexts.Shown(
                            s.shownStatus(text.substring(0, (int) offset) + s.finishes().rest()), true));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The id of one notification: the event's partition and offset on tasks.events and the item's index (one event
     * can be two items), then its task and config. The same event read again (a restart, a rebalance) gets the same
     * id; two configs of a task get two ids.
     */
    static String deliveryId(int partition, long offset, int item, String taskId, String configId) {
        return partition + "-" + offset + "-" + item + "/" + taskId + "/" + configId;
    }

    /** The settled offsets the partitions' last readers committed beside their positions (see {@link #commit}). */
    private void readSettled(Collection<TopicPartition> parts) {
        Map<TopicPartition, OffsetAndMetadata> last;
        try {
            last = consumer.committed(Set.copyOf(parts), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // only duplicates are at stake: what settled beyond the position is delivered again (same ids)
            LOG.warnf("push: could not read what the last reader settled (%s); its later deliveries may repeat",
                    e.toString());
            return;
        }
        last.forEach((tp, om) -> {
            if (om != null) {
                ConcurrentSkipListSet<Long> done = SettledOffsets.decode(om.offset(), om.metadata());
                if (!done.isEmpty()) {
                    settled.put(tp, done);
                }
            }
        });
    }

    /**
     * Commits, per partition, up to the first event not settled yet (or all that was polled), with the events
     * settled beyond that in the metadata (the same request: no second write per delivery): at once when
     * {@code now} (revocation, stop), else at most once per {@code codetether.kafka.commit-interval} (a commit per
     * batch wrote a {@code __consumer_offsets} record per partition every few events, issue 18). A crash delivers at
     * most that interval's settled notifications again, under their first ids ({@link #deliveryId}).
     */
    private void commit(boolean now) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        polled.forEach((tp, next) -> {
            ConcurrentSkipListMap<Long, AtomicInteger> open = unsettled.get(tp);
            Long first = open == null ? null : open.isEmpty() ? null : open.firstKey();
            long upTo = first == null ? next : Math.min(first, next);
            ConcurrentSkipListSet<Long> done = settled.get(tp);
            String metadata = "";
            if (done != null) {
                done.headSet(upTo).clear(); // behind the position: never read again by this group
                metadata = SettledOffsets.encode(upTo, done);
            }
            if (!Long.valueOf(upTo).equals(committed.get(tp)) || !metadata.equals(committedMetadata.get(tp))) {
                commit.put(tp, new OffsetAndMetadata(upTo, metadata));
                committed.put(tp, upTo);
                committedMetadata.put(tp, metadata);
            }
        });
        paced.add(commit);
        Map<TopicPartition, OffsetAndMetadata> send = now ? paced.takeAll() : paced.takeIfDue();
        if (!send.isEmpty()) {
            consumer.commitAsync(send, (offsets, err) -> {
                if (err != null) {
                    LOG.debugf("push: commit failed (a rebalance?): %s", err.toString());
                }
            });
        }
    }

    /** How many events this replica's reader fetched so far. */
    long fetched() {
        return fetched.get();
    }

    /** How many deliveries wait on this replica (in flight or for a retry). */
    public int queued() {
        return deliveries.queued();
    }

    /**
     * The stream item reads context and status from the folded task; the event carries what it needs, but for the
     * finished answer's text that a completed status's message is ({@link AnswerTexts}).
     */
    private static Task placeholder(TaskEvent event, AnswerTexts.Shown shown) {
        TaskStatus status = shown != null ? shown.status() : TaskStatus.of(TaskState.WORKING);
        return new Task(event.taskId(), event.contextId(), status, null, null, null);
    }

    /** One webhook request (on a virtual thread of the deliveries); -1 when the URL is refused by policy. */
    int post(PushConfig config, String deliveryId, String body) throws Exception {
        URI uri;
        try {
            uri = policy.check(config.url());
        } catch (A2AException e) {
            LOG.warnf("push: refusing delivery for task %s config %s: %s", config.taskId(), config.id(),
                    e.getMessage());
            return 403; // settled as refused: a URL the policy forbids never becomes deliverable by retrying
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(DELIVERY_ID_HEADER, deliveryId)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (config.authScheme() != null && config.credentials() != null) {
            b.header("Authorization", config.authScheme() + " " + config.credentials());
        }
        if (config.token() != null) {
            b.header("X-A2A-Notification-Token", config.token());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        configs.close(); // the idle reader sleeps on it, not in the consumer
        if (loop != null) {
            loop.close();
        }
        deliveries.close();
    }
}
