package run.codetether.gateway.support;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * When a Kafka consumer of this JVM last called {@code poll()}, from the client's own metric: a reader that sleeps
 * while idle (issue 18) shows it there, one that polls every few hundred milliseconds cannot.
 */
public final class ConsumerPolls {
    private ConsumerPolls() {}

    /**
     * Seconds since the consumer with this client id last polled (whole seconds, Kafka's own rounding), or -1 when
     * it never polled. Fails when no such consumer is open.
     */
    public static double lastPollSecondsAgo(String clientId) {
        try {
            ObjectName name = new ObjectName("kafka.consumer:type=consumer-metrics,client-id=" + clientId);
            return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "last-poll-seconds-ago"))
                    .doubleValue();
        } catch (Exception e) {
            throw new IllegalStateException("no open consumer " + clientId + " to read the metric of: " + e, e);
        }
    }

    /** Whether the consumer did not poll for at least {@code seconds} (or never did). */
    public static boolean quietFor(String clientId, double seconds) {
        double ago = lastPollSecondsAgo(clientId);
        return ago < 0 || ago >= seconds;
    }
}
