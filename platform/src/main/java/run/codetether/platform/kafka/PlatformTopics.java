package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.Topics;

/**
 * Creates the platform's topics, every one declared in {@link Topics#all} (the gateway's push-configs topic
 * included), with their partitions and configs; topics that exist are kept as they are. The replication factor is
 * the broker's default ({@code default.replication.factor}). Safe to run from several replicas at once. A broker
 * that does not answer (down or restarting while the service starts) is waited for, trying again with backoff, for
 * up to an outage budget (the clients' {@code codetether.kafka.outage-budget}, {@link KafkaClients#outageBudget}),
 * so the start goes on once it is back (issue 19); past the budget it fails naming it.
 */
public final class PlatformTopics {
    private static final Logger LOG = Logger.getLogger(PlatformTopics.class);
    /** How long closing the admin client may wait on a broker that does not answer. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private PlatformTopics() {}

    /** Creates what is missing of {@link Topics#all}. @return the names it created */
    public static List<String> ensureAll(KafkaClients clients, int workPartitions, Duration timeout) {
        return ensure(clients, Topics.all(workPartitions), timeout);
    }

    /**
     * Waits out an outage for the clients' budget ({@code codetether.kafka.outage-budget}).
     *
     * @return the names it created
     */
    public static List<String> ensure(KafkaClients clients, List<Topics.Spec> specs, Duration timeout) {
        return ensure(clients, specs, timeout, clients.outageBudget());
    }

    /**
     * @param timeout how long one try may take
     * @param outageBudget how long a broker that does not answer is tried again; zero fails at the first timeout
     * @return the names it created
     */
    public static List<String> ensure(KafkaClients clients, List<Topics.Spec> specs, Duration timeout,
            Duration outageBudget) {
        Admin admin = clients.admin("topics-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        try {
            return ensure(admin, specs, timeout, outageBudget);
        } finally {
            admin.close(CLOSE_TIMEOUT); // a call pending on a hung broker must not hold the start (or its failure)
        }
    }

    /** One try, no retries. @throws IllegalStateException when the broker cannot be reached or refuses a topic */
    public static List<String> ensure(Admin admin, List<Topics.Spec> specs, Duration timeout) {
        return ensure(admin, specs, timeout, Duration.ZERO);
    }

    /**
     * @throws IllegalStateException when the broker refuses a topic, or does not answer for longer than the budget
     *         (the message names it)
     */
    public static List<String> ensure(Admin admin, List<Topics.Spec> specs, Duration timeout, Duration outageBudget) {
        if (outageBudget.isNegative()) {
            throw new IllegalArgumentException("the outage budget of creating Kafka topics must be >= 0, not "
                    + outageBudget);
        }
        long since = -1;
        long backoffMs = KafkaOutage.FIRST_BACKOFF_MS;
        int failures = 0;
        while (true) {
            long began = System.nanoTime();
            try {
                List<String> created = attempt(admin, specs, timeout);
                if (since >= 0) {
                    LOG.infof("Kafka answers again after %d ms and %d failed tries; its topics are there",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since), failures);
                }
                return created;
            } catch (Unanswered e) {
                failures++;
                if (since < 0) {
                    since = began;
                    if (!outageBudget.isZero()) {
                        LOG.warnf("cannot create the platform's Kafka topics yet: %s; trying again for up to %s",
                                e.getCause(), outageBudget);
                    }
                }
                long spent = System.nanoTime() - since;
                if (spent >= outageBudget.toNanos()) {
                    throw new IllegalStateException("cannot create the platform's Kafka topics: "
                            + (outageBudget.isZero() ? "" : "Kafka did not answer for "
                                    + Duration.ofNanos(spent).toSeconds() + " s, longer than "
                                    + "codetether.kafka.outage-budget (" + outageBudget + "), after " + failures
                                    + " tries; last error: ") + e.getCause(), e.getCause());
                }
                try {
                    long leftMs = TimeUnit.NANOSECONDS.toMillis(outageBudget.toNanos() - spent) + 1;
                    Thread.sleep(Math.min(backoffMs, leftMs));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating Kafka topics", ie);
                }
                backoffMs = Math.min(backoffMs * 2, KafkaOutage.MAX_BACKOFF_MS);
            }
        }
    }

    /** A try the broker did not answer in time (an outage, tried again); its cause is what the client said. */
    private static final class Unanswered extends RuntimeException {
        Unanswered(Throwable cause) {
            super(cause);
        }
    }

    private static List<String> attempt(Admin admin, List<Topics.Spec> specs, Duration timeout) {
        long ms = timeout.toMillis();
        int callMs = (int) Math.min(Integer.MAX_VALUE, ms);
        try {
            // the calls end at the timeout in the admin client too: a try that gave up leaves nothing pending
            Set<String> existing = admin.listTopics(new ListTopicsOptions().timeoutMs(callMs)).names()
                    .get(ms, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.Spec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), (short) -1).configs(spec.configs()));
                }
            }
            List<String> created = new ArrayList<>();
            for (var e : admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(callMs)).values().entrySet()) {
                try {
                    e.getValue().get(ms, TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex; // another replica may have created it first; anything else is fatal
                    }
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics", e);
        } catch (TimeoutException e) {
            throw new Unanswered(e);
        } catch (ExecutionException e) {
            if (KafkaOutage.retriable(e.getCause())) {
                throw new Unanswered(e.getCause());
            }
            throw new IllegalStateException("cannot create the platform's Kafka topics: " + e.getCause(),
                    e.getCause());
        }
    }
}
