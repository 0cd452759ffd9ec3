package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The {@value #NAME} readiness check of a Kafka service: the broker tells its nodes within {@link #PROBE_TIMEOUT}.
 * It replaces Quarkus' own check ({@code quarkus.kafka.health.enabled}), whose admin client waits for a lookup
 * without a bound of its own (60 s, {@code default.api.timeout.ms}) and is closed without one at shutdown: with a
 * hung broker (issue 19) a probe hung for a minute and so did the process's exit (a gateway's exit 4 took 61 s to
 * stop). Here a probe answers DOWN within the probe timeout, and {@link #close()} drops what is pending at once.
 * Thread-safe.
 */
public final class KafkaBrokerReadiness implements HealthCheck, AutoCloseable {
    /** The name Quarkus' check had, so that what reads readiness finds it where it was. */
    public static final String NAME = "Kafka connection health check";
    /** Longest wait of one probe for the broker's answer. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final KafkaClients kafka;
    private final String clientId;
    private Admin admin; // guarded by this
    private boolean closed; // guarded by this

    public KafkaBrokerReadiness(KafkaClients kafka, String clientId) {
        this.kafka = kafka;
        this.clientId = clientId;
    }

    @Override
    public HealthCheckResponse call() {
        Admin a;
        try {
            a = admin();
        } catch (RuntimeException e) {
            return down(e.toString());
        }
        int ms = (int) PROBE_TIMEOUT.toMillis();
        try {
            Collection<Node> nodes = a.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                    .get(ms + 500L, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named(NAME).up().withData("nodes",
                    nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","))).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (ExecutionException e) {
            return down(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return down("the broker did not answer within " + PROBE_TIMEOUT);
        }
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the service is stopping");
        }
        if (admin == null) {
            int ms = (int) PROBE_TIMEOUT.toMillis();
            admin = kafka.admin(clientId, Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms));
        }
        return admin;
    }

    /** Closes the probe's admin client without waiting for a probe in flight (it answers DOWN). Idempotent. */
    @Override
    public void close() {
        Admin a;
        synchronized (this) {
            closed = true;
            a = admin;
            admin = null;
        }
        if (a != null) {
            a.close(Duration.ZERO);
        }
    }
}
