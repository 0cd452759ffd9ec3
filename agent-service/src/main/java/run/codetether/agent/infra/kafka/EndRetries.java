package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Commands whose run ended without publishing its end (the broker was gone, the send failed): their offsets stay
 * uncommitted and each runs again here after {@link #DELAY}, which republishes the saved end from the session
 * instead of failing the task. Runs tell it from their threads; the poll thread takes the due ones back.
 */
final class EndRetries {
    private static final Logger LOG = Logger.getLogger(EndRetries.class);

    /**
     * How long a command whose run could not publish its end waits before it runs again: that run already waited out
     * the producers' delivery timeout, or failed at once on missing metadata, which this spaces out.
     */
    static final Duration DELAY = Duration.ofSeconds(2);

    private record Retry(FetchedCommand fetched, long notBefore) {}

    private final Queue<Retry> retries = new ConcurrentLinkedQueue<>();

    /** From a run's thread: its end did not reach Kafka. */
    void add(FetchedCommand fetched) {
        retries.add(new Retry(fetched, System.currentTimeMillis() + DELAY.toMillis()));
    }

    /**
     * Hands each command whose delay passed to {@code requeue}, unless its partition left this worker meanwhile
     * ({@code owned} false: its next owner reads it from the committed offset). Poll thread only.
     */
    void requeueDue(Predicate<FetchedCommand> owned, Consumer<FetchedCommand> requeue) {
        if (retries.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Retry> later = new ArrayList<>();
        Retry r;
        while ((r = retries.poll()) != null) {
            if (!owned.test(r.fetched())) {
                continue;
            }
            if (r.notBefore() > now) {
                later.add(r);
                continue;
            }
            ConsumerRecord<String, byte[]> rec = r.fetched().record();
            LOG.infof("running the command of task %s again (at %s-%d@%d): its last run did not publish its end",
                    r.fetched().command().taskId(), rec.topic(), rec.partition(), rec.offset());
            requeue.accept(r.fetched());
        }
        retries.addAll(later);
    }
}
