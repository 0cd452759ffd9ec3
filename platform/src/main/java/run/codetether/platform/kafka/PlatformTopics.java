package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import run.codetether.contracts.events.Topics;

/**
 * Creates the platform's topics, every one declared in {@link Topics#all} (the gateway's push-configs topic
 * included), with their partitions and configs; topics that exist are kept as they are. The replication factor is
 * the broker's default ({@code default.replication.factor}). Safe to run from several replicas at once.
 */
public final class PlatformTopics {
    private PlatformTopics() {}

    /** Creates what is missing of {@link Topics#all}. @return the names it created */
    public static List<String> ensureAll(KafkaClients clients, int workPartitions, Duration timeout) {
        return ensure(clients, Topics.all(workPartitions), timeout);
    }

    /** @return the names it created */
    public static List<String> ensure(KafkaClients clients, List<Topics.Spec> specs, Duration timeout) {
        try (Admin admin = clients.admin("topics-" + java.util.UUID.randomUUID().toString().substring(0, 8))) {
            return ensure(admin, specs, timeout);
        }
    }

    /** @throws IllegalStateException when the broker cannot be reached or refuses a topic */
    public static List<String> ensure(Admin admin, List<Topics.Spec> specs, Duration timeout) {
        long ms = timeout.toMillis();
        try {
            Set<String> existing = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.Spec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), (short) -1).configs(spec.configs()));
                }
            }
            List<String> created = new ArrayList<>();
            for (var e : admin.createTopics(missing).values().entrySet()) {
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
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot create the platform's Kafka topics: " + cause, cause);
        }
    }
}
