package run.codetether.platform.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
import run.codetether.platform.budget.DailySpend.TenantDay;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * The tenants' daily spend shared by every agent-service replica and every swarm coordinator instance (replica id
 * {@code swarm-<instance-id>}: its own model calls) over {@value Topics#TENANTS_SPEND} (compacted).
 * Each replica publishes its OWN cumulative figure per tenant and UTC day under the key tenant/day/replica, at most
 * once per {@code publishInterval} per changed tenant-day; every replica reads the topic from its start and keeps the
 * latest figure of each other replica, so a tenant's spend is this replica's own (exact, in memory) plus the sum of
 * the others' latest records. Cumulative records make the sum exact and idempotent: a record sent twice, or sent
 * again after a restart, replaces itself.
 *
 * <p>Recovery: {@link #start} reads the topic to its end before the first budget check is answered; this replica's
 * own records from before a restart (same replica id) become the base its new calls add to, and other ids' records
 * (an old pod name) count as another replica's. Nothing is published before that, so a restart never replaces a
 * day's figure with a smaller one. Until then, and when the reader stops, {@link #unavailable} says why, and tenants
 * with a budget are refused rather than checked against a figure that may be too low.
 *
 * <p>Bound on overshoot: a replica sees another's calls at most {@code publishInterval} plus one poll (~0.1 s) after
 * they ended; each replica reserves its own calls' maximum cost before they run (TenantBudgets). So a tenant can
 * exceed its budget by one call per replica plus the calls other replicas END within that window.
 *
 * <p>Retention: the topic is compacted, so each tenant-day-replica key keeps its last record forever unless it is
 * deleted. Every replica tombstones the records whose day is more than {@code retentionDays} before today (UTC), once
 * it has read the topic and then every {@link #SWEEP_EVERY}. Not only a key's writer does it: a replica's id is often
 * its pod name, so the keys of replicas that are gone (a rollout, a scale-down) would have no writer left to delete
 * them. A tombstone is idempotent, and nobody writes a day that old again (a replica keeps today and yesterday only),
 * so two replicas sweeping the same key at once is harmless.
 */
public final class KafkaSpendLedger implements SpendLedger, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSpendLedger.class);

    /** How often a replica looks for records past the retention (also once right after it read the topic). */
    public static final Duration SWEEP_EVERY = Duration.ofHours(1);
    /** The least retention: a budget reads today and yesterday, so those days must never be deleted. */
    public static final int MIN_RETENTION_DAYS = 2;

    private final String replica;
    private final Duration publishInterval;
    private final int retentionDays;
    /** Every record key on the topic (any replica, any day) with its day, for the retention sweep. */
    private final Map<String, LocalDate> daysByKey = new ConcurrentHashMap<>();
    private final Clock clock;
    private final DailySpend own = new DailySpend();
    /** Other replicas' latest figure per tenant-day, by replica id. */
    private final Map<TenantDay, Map<String, TenantSpend>> others = new ConcurrentHashMap<>();
    /** Record key -> where it is counted, for tombstones. */
    private final Map<String, TenantDay> keys = new ConcurrentHashMap<>();
    /** This replica's records as the topic held them before this start, applied once caught up. */
    private final Map<String, TenantSpend> recovered = new HashMap<>();
    private final Set<TenantDay> dirty = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    /** The day {@link #add} last dropped older tenant-days for; they are dropped once per day, not per call. */
    private volatile LocalDate prunedFor;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final KafkaProducer<String, byte[]> producer;
    private final PollLoop<String, byte[]> reader;
    private Map<TopicPartition, Long> endAtStart = Map.of();
    private volatile boolean running = true;
    private volatile Thread publisher;
    private volatile long nextSweepNanos;
    /** Flushes asked for and publisher rounds finished, guarded by {@link #signal}: a flush waits for its round. */
    private long flushAsked;
    private long roundsDone;

    /**
     * @param replica this replica's id: unique among the replicas running at once (two live replicas with one id
     *     would replace each other's figures), and kept across a restart when possible
     * @param publishInterval the longest a changed figure waits before it is published
     */
    public KafkaSpendLedger(KafkaClients kafka, String replica, Duration publishInterval, Clock clock,
            LoopHealth health) {
        this(kafka, replica, publishInterval, 35, clock, health);
    }

    /**
     * @param retentionDays records of days more than this many days before today are deleted from the topic (at
     *     least {@value #MIN_RETENTION_DAYS})
     */
    public KafkaSpendLedger(KafkaClients kafka, String replica, Duration publishInterval, int retentionDays,
            Clock clock, LoopHealth health) {
        if (retentionDays < MIN_RETENTION_DAYS) {
            throw new IllegalArgumentException("codetether.agent.budgets.retention-days must be >= "
                    + MIN_RETENTION_DAYS + " (a budget reads today and yesterday), not " + retentionDays);
        }
        this.retentionDays = retentionDays;
        this.nextSweepNanos = System.nanoTime(); // the first sweep runs as soon as the topic is read
        if (replica == null || replica.isBlank()) {
            throw new IllegalArgumentException("a replica id is required (codetether.agent.instance-id)");
        }
        if (publishInterval.isNegative()) {
            throw new IllegalArgumentException("codetether.agent.budgets.publish-interval must be >= 0, not "
                    + publishInterval);
        }
        this.replica = replica;
        this.publishInterval = publishInterval;
        this.clock = clock;
        String client = "agent-" + replica + "-" + Topics.TENANTS_SPEND;
        this.producer = kafka.producer(client, Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"), new StringSerializer(),
                new ByteArraySerializer());
        // a few records a second at most (publishInterval per replica): an idle ledger asks the broker seldom
        KafkaConsumer<String, byte[]> consumer = kafka.consumer(client, Optional.empty(), Traffic.RARE,
                Map.of("auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        PollLoop.Builder<String, byte[]> b = PollLoop.builder(Topics.TENANTS_SPEND + "-reader", consumer)
                .onStart(this::assign)
                .onBatch(this::read)
                .pollTimeout(Duration.ofMillis(100));
        this.reader = (health == null ? b : b.health(health)).build();
    }

    /** Starts reading and publishing; waits up to {@code catchUp} for the topic to be read to its end. */
    public KafkaSpendLedger start(Duration catchUp) {
        reader.start();
        publisher = Thread.ofPlatform().daemon().name(Topics.TENANTS_SPEND + "-publisher").start(this::publishLoop);
        try {
            if (!caughtUp.await(catchUp.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s was not read within %s: tenants with a daily budget are refused until it is",
                        Topics.TENANTS_SPEND, catchUp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + Topics.TENANTS_SPEND, e);
        }
        return this;
    }

    private void assign(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> parts = List.of();
        while (running && parts.isEmpty()) {
            parts = consumer.partitionsFor(Topics.TENANTS_SPEND, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (parts.isEmpty()) {
                LOG.warnf("Kafka topic %s does not exist yet (create the platform's topics, e.g. "
                        + "codetether.gateway.kafka.create-topics=true); looking again", Topics.TENANTS_SPEND);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        endAtStart = consumer.endOffsets(parts);
        checkCaughtUp(consumer);
    }

    private void read(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> consumer) {
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                apply(r.key(), r.value() == null ? null : ContractJson.read(r.value(), TenantSpend.class));
            } catch (RuntimeException e) {
                LOG.warnf("skipping unreadable %s record at %d/%d: %s", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
            }
        }
        checkCaughtUp(consumer);
    }

    private void apply(String key, TenantSpend s) {
        if (s == null) {
            daysByKey.remove(key);
            TenantDay at = keys.remove(key);
            if (at != null) {
                others.computeIfPresent(at, (k, m) -> {
                    m.values().removeIf(v -> v.key().equals(key));
                    return m.isEmpty() ? null : m;
                });
            }
            recovered.remove(key);
            return;
        }
        daysByKey.put(key, s.day());
        if (s.day().isBefore(today().minusDays(1))) {
            return; // a budget looks at today only
        }
        if (s.replica().equals(replica)) {
            if (caughtUp.getCount() > 0) {
                recovered.put(s.key(), s); // the last figure before this start wins
            }
            return; // once running, this replica's own memory is ahead of its records
        }
        TenantDay at = new TenantDay(s.tenant(), s.day());
        keys.put(s.key(), at);
        others.computeIfAbsent(at, k -> new ConcurrentHashMap<>()).put(s.replica(), s);
    }

    private void checkCaughtUp(KafkaConsumer<String, byte[]> consumer) {
        if (caughtUp.getCount() == 0) {
            return;
        }
        for (var e : endAtStart.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        recovered.values().forEach(own::restore);
        recovered.values().forEach(s -> markDirty(new TenantDay(s.tenant(), s.day())));
        LOG.infof("read %s: %d figure(s) of this replica (%s) recovered, %d tenant-day(s) of other replicas",
                Topics.TENANTS_SPEND, recovered.size(), replica, others.size());
        recovered.clear();
        caughtUp.countDown();
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    @Override
    public void add(String tenant, LocalDate day, CallSpend call) {
        own.add(tenant, day, call);
        if (!day.equals(prunedFor)) { // a scan of both maps per model call was 16 % of the agent's CPU (issue 18)
            prunedFor = day;
            others.keySet().removeIf(k -> k.day().isBefore(day.minusDays(1)));
            keys.values().removeIf(k -> k.day().isBefore(day.minusDays(1)));
        }
        markDirty(new TenantDay(tenant, day));
    }

    /**
     * Wakes the publisher only when the tenant-day was clean: while it is dirty the publisher has been woken already
     * or will see it on its next round, and 64 model calls at once otherwise queue on the signal's monitor.
     */
    private void markDirty(TenantDay at) {
        if (dirty.add(at)) {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    @Override
    public double spent(String tenant, LocalDate day) {
        double sum = own.spent(tenant, day);
        Map<String, TenantSpend> theirs = others.get(new TenantDay(tenant, day));
        if (theirs != null) {
            for (TenantSpend s : theirs.values()) {
                sum += s.costUsd();
            }
        }
        return sum;
    }

    @Override
    public Optional<String> unavailable() {
        PollLoop.Status st = reader.status();
        if (st.state() == PollLoop.State.FAILED || st.state() == PollLoop.State.STOPPED) {
            return Optional.of("the reader of Kafka topic " + Topics.TENANTS_SPEND + " stopped"
                    + st.failure().map(f -> " (" + f + ")").orElse(""));
        }
        if (caughtUp.getCount() > 0) {
            return Optional.of("the replicas' spend (Kafka topic " + Topics.TENANTS_SPEND + ") is still being read");
        }
        return Optional.empty();
    }

    /** This replica's own figures (what it publishes). */
    public DailySpend own() {
        return own;
    }

    /**
     * The only thread that publishes figures while the ledger runs: one writer keeps a tenant-day's records in the
     * order their snapshots were taken (a later snapshot never goes out before an older one), with no lock held while
     * a send waits for the broker. {@link #flush} asks it for a round instead of sending itself.
     */
    private void publishLoop() {
        while (running) {
            long round = -1;
            try {
                synchronized (signal) {
                    while (running && flushAsked == roundsDone && (dirty.isEmpty() || caughtUp.getCount() > 0)
                            && !sweepDue()) {
                        signal.wait(200);
                    }
                    round = flushAsked;
                }
                if (caughtUp.getCount() == 0) {
                    publishDirty();
                }
                sweepIfDue();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot publish the tenants' spend on %s: %s", Topics.TENANTS_SPEND, e.getMessage());
            } finally {
                synchronized (signal) {
                    roundsDone = Math.max(roundsDone, round);
                    signal.notifyAll();
                }
            }
            try {
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits {@code publishInterval} between rounds, or less when a flush asks for one. */
    private void pause() throws InterruptedException {
        long end = System.nanoTime() + publishInterval.toNanos();
        synchronized (signal) {
            for (long left = end - System.nanoTime(); running && flushAsked == roundsDone && left > 0;
                    left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
        }
    }

    private boolean sweepDue() {
        return caughtUp.getCount() == 0 && System.nanoTime() - nextSweepNanos >= 0;
    }

    /**
     * Sends the latest figure of every changed tenant-day; a failed send marks it changed again. Called by one thread
     * at a time: the publisher while it runs, {@link #flush} once it stopped.
     */
    private void publishDirty() {
        for (TenantDay at : List.copyOf(dirty)) {
            dirty.remove(at);
            Optional<TenantSpend> s = own.snapshot(at, replica, clock.instant());
            if (s.isEmpty()) {
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(Topics.TENANTS_SPEND, s.get().key(), ContractJson.write(s.get())),
                        (meta, error) -> {
                            if (error != null) {
                                LOG.warnf("cannot publish the spend of tenant '%s' on %s (sending it again): %s",
                                        at.tenant(), Topics.TENANTS_SPEND, error.getMessage());
                                markDirty(at);
                            }
                        });
            } catch (RuntimeException e) {
                dirty.add(at); // not handed to the producer (e.g. no metadata within max.block.ms): the next round
                throw e;
            }
        }
    }

    private void sweepIfDue() {
        if (sweepDue()) {
            nextSweepNanos = System.nanoTime() + SWEEP_EVERY.toNanos();
            int n = sweep();
            if (n > 0) {
                LOG.infof("deleted %d record(s) of %s older than %d days (codetether.agent.budgets.retention-days)",
                        n, Topics.TENANTS_SPEND, retentionDays);
            }
        }
    }

    /**
     * Sends a tombstone for every record key whose day is more than {@code retentionDays} before today; returns how
     * many. The key is forgotten when its tombstone is read back.
     */
    public int sweep() {
        LocalDate oldest = today().minusDays(retentionDays);
        int n = 0;
        for (var e : List.copyOf(daysByKey.entrySet())) {
            if (e.getValue().isBefore(oldest)) {
                n++;
                producer.send(new ProducerRecord<>(Topics.TENANTS_SPEND, e.getKey(), null), (meta, error) -> {
                    if (error != null) {
                        LOG.warnf("cannot delete the expired record %s of %s (trying again at the next sweep): %s",
                                e.getKey(), Topics.TENANTS_SPEND, error.getMessage());
                    }
                });
            }
        }
        return n;
    }

    /**
     * Publishes what changed before this call and waits for it (tests; shutdown): by a round of the publisher while it
     * runs, else here. Throws when the publisher is stopping but still sending, rather than racing it with newer
     * figures it could overtake.
     */
    public void flush() {
        Thread t = publisher;
        if (t != null && t.isAlive()) {
            if (!running) {
                throw new IllegalStateException("the " + Topics.TENANTS_SPEND + " publisher is still sending after "
                        + "it was told to stop; the last figures are not published");
            }
            synchronized (signal) {
                long ticket = ++flushAsked;
                signal.notifyAll();
                try {
                    while (roundsDone < ticket && t.isAlive()) {
                        signal.wait(200);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the spend to be published", e);
                }
            }
        } else if (caughtUp.getCount() == 0) {
            publishDirty();
        }
        producer.flush();
    }

    /** Publishes what is left (so a restart recovers it), then stops reading. */
    @Override
    public void close() {
        running = false;
        Thread t = publisher;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("cannot publish the last spend figures on %s: %s", Topics.TENANTS_SPEND, e.getMessage());
        }
        producer.close(Duration.ofSeconds(5));
        reader.close();
    }
}
