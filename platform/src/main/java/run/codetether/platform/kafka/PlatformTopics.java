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
        return OutageRetry.call(WHAT, outageBudget, () -> attempt(admin, specs, timeout));
    }

    /** What the failures and the log name. */
    private static final String WHAT = "cannot create the platform's Kafka topics";

    /**
     * A try the broker did not answer in time: a future's timeout, which {@link OutageRetry} tries again (a zero
     * budget: fails at once as "cannot create ...: java.util.concurrent.TimeoutException: CAUSE").
     */
    private static TimeoutException unanswered(Throwable cause) {
        TimeoutException t = new TimeoutException(String.valueOf(cause));
        t.initCause(cause);
        return t;
    }

    private static List<String> attempt(Admin admin, List<Topics.Spec> specs, Duration timeout)
            throws TimeoutException {
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
        } catch (ExecutionException e) {
            if (KafkaOutage.retriable(e.getCause())) {
                throw unanswered(e.getCause());
            }
            throw new IllegalStateException(WHAT + ": " + e.getCause(), e.getCause());
        }
    }
}
