package run.codetether.gateway.api.cognition;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.cognition.CognitionCommand;
import run.codetether.contracts.cognition.CognitionRecord;
import run.codetether.contracts.cognition.MemorySnapshot;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * This gateway replica's view of cognition, folded from {@code cognition.events} (read from the start, without a
 * consumer group, so every replica sees everything and a restarted one rebuilds its buffers): the bounded thought
 * buffer the SSE stream resumes from, the snapshots, swarm-service's latest {@link CognitionRecord.View}, and the
 * replies to commands this replica sent on {@code cognition.commands}.
 *
 * <p>A running loop publishes a View (the runtime's whole state, its proposals included) after every tick, and only
 * the newest one is ever read, by {@code status} and {@code lineage}: a View is kept as bytes and decoded when asked
 * for. A reply is decoded only while a command of this replica waits for one. Both are told by the record's leading
 * {@code "type"} property (what the contract's serializer writes first); a record that does not start so is decoded.
 */
@ApplicationScoped
public class CognitionFeed {
    private static final Logger LOG = Logger.getLogger(CognitionFeed.class);
    private static final byte[] VIEW = "{\"type\":\"view\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = "{\"type\":\"reply\"".getBytes(StandardCharsets.UTF_8);

    private final KafkaClients kafka;
    private final CognitionGatewayConfig config;
    private final EventBuffer events;
    private final Deque<MemorySnapshot> snapshots = new ArrayDeque<>();
    private final Map<String, CompletableFuture<CognitionRecord.Reply>> pending = new ConcurrentHashMap<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    /** The newest View's bytes, not decoded yet; null once {@link #view()} decoded them. */
    private final AtomicReference<byte[]> undecodedView = new AtomicReference<>();
    /** Guarded by {@link #undecodedView}. */
    private CognitionRecord.View view;
    /** The reader's polls so far (tests: an idle feed's thread wakes about once per held fetch). */
    private final AtomicLong polls = new AtomicLong();
    private KafkaProducer<String, Object> producer;
    private PollLoop<String, byte[]> reader;

    /** For tests: a bare broker address. */
    public CognitionFeed(String bootstrap, CognitionGatewayConfig config) {
        this(KafkaClients.forBootstrap(bootstrap), config);
    }

    @Inject
    public CognitionFeed(KafkaClients kafka, CognitionGatewayConfig config) {
        this.kafka = kafka;
        this.config = config;
        this.events = new EventBuffer(config.maxEvents());
    }

    void onStart(@Observes StartupEvent event) {
        String id = "gateway-cognition-" + UUID.randomUUID().toString().substring(0, 8);
        producer = kafka.producer(id, new StringSerializer(), new ContractSerializer());
        // thoughts come seldom or never (cognition idles until started): the broker holds an empty fetch
        KafkaConsumer<String, byte[]> consumer = kafka.consumer(id, Optional.empty(), Traffic.RARE, Map.of(),
                new StringDeserializer(), new ByteArrayDeserializer());
        // outside readiness on purpose, as the dashboard's feed: a dead cognition stream must not take the replica's
        // A2A traffic away; the loop logs why it died
        reader = PollLoop.builder("cognition-feed", consumer)
                .onStart(c -> {
                    TopicPartition tp = new TopicPartition(Topics.COGNITION_EVENTS, 0);
                    c.assign(List.of(tp));
                    c.seekToBeginning(List.of(tp));
                })
                .beforePoll(c -> polls.incrementAndGet())
                .onRecord(this::fold)
                // a record ends a poll at once, and close() wakes it: the poll's length only sets how often an idle
                // feed's thread wakes to find nothing (the loop's 100 ms default: 10 times a second, issue 18)
                .pollTimeout(kafka.rareFetchWait())
                .start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reader != null) {
            reader.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("gateway shutting down")));
    }

    private void fold(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        if (startsWith(r.value(), VIEW)) {
            undecodedView.set(r.value());
            return;
        }
        if (startsWith(r.value(), REPLY) && pending.isEmpty()) {
            return; // another replica's command: nobody here waits for it
        }
        CognitionRecord record;
        try {
            record = ContractJson.read(r.value(), CognitionRecord.class);
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable cognition.events record at %d: %s", r.offset(), e.getMessage());
            return;
        }
        switch (record) {
            case CognitionRecord.Thought t -> {
                SequencedEvent e = new SequencedEvent(r.offset(), t.event());
                synchronized (events) {
                    events.add(e);
                    subscribers.forEach(s -> s.offer(e));
                }
            }
            case CognitionRecord.Snapshot s -> {
                synchronized (snapshots) {
                    snapshots.addLast(s.snapshot());
                    while (snapshots.size() > config.maxSnapshots()) {
                        snapshots.removeFirst();
                    }
                }
            }
            case CognitionRecord.View v -> {
                synchronized (undecodedView) {
                    undecodedView.set(null);
                    view = v;
                }
            }
            case CognitionRecord.Reply reply -> {
                CompletableFuture<CognitionRecord.Reply> f = pending.remove(reply.requestId());
                if (f != null) {
                    f.complete(reply);
                }
            }
        }
    }

    /** Publishes a command; the future completes with swarm-service's reply or fails after the reply timeout. */
    public CompletableFuture<CognitionRecord.Reply> send(CognitionCommand command) {
        CompletableFuture<CognitionRecord.Reply> reply = new CompletableFuture<>();
        pending.put(command.requestId(), reply);
        producer.send(new ProducerRecord<>(Topics.COGNITION_COMMANDS, "cognition", command), (m, e) -> {
            if (e != null) {
                pending.remove(command.requestId());
                reply.completeExceptionally(e);
            }
        });
        return reply.orTimeout(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(command.requestId()));
    }

    /** swarm-service's newest View; an unreadable one leaves the View decoded before it. */
    public Optional<CognitionRecord.View> view() {
        synchronized (undecodedView) {
            byte[] raw = undecodedView.getAndSet(null);
            if (raw != null) {
                try {
                    view = (CognitionRecord.View) ContractJson.read(raw, CognitionRecord.class);
                } catch (RuntimeException e) {
                    LOG.warnf("skipping an unreadable cognition View: %s", e.getMessage());
                }
            }
            return Optional.ofNullable(view);
        }
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    public Optional<MemorySnapshot> latestSnapshot() {
        synchronized (snapshots) {
            return Optional.ofNullable(snapshots.peekLast());
        }
    }

    /** How many times the reader polled (tests). */
    long polls() {
        return polls.get();
    }

    public int eventsBuffered() {
        return events.size();
    }

    public int snapshotsBuffered() {
        synchronized (snapshots) {
            return snapshots.size();
        }
    }

    /**
     * A new SSE client. Without {@code lastEventId} it gets live events only (as in the original); with one it
     * first gets every buffered event after it, preceded by a lag item when some were already dropped.
     */
    Subscription subscribe(Long lastEventId) {
        // under the fold's lock: no event can slip between the replay and the live feed, or arrive twice
        synchronized (events) {
            if (lastEventId == null) {
                Subscription s = new Subscription(config.subscriberBuffer());
                subscribers.add(s);
                return s;
            }
            EventBuffer.Replay replay = events.after(lastEventId);
            Subscription s = new Subscription(config.subscriberBuffer() + replay.events().size());
            s.lost(replay.lost());
            replay.events().forEach(s::offer);
            subscribers.add(s);
            return s;
        }
    }

    void unsubscribe(Subscription s) {
        s.close();
        subscribers.remove(s);
    }

    CognitionGatewayConfig config() {
        return config;
    }
}
