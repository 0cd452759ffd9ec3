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

    /** What one probe found: whether the broker answered, and its nodes or why not. */
    public record Probe(boolean up, String detail) {}

    private final KafkaClients kafka;
    private final String clientId;
    private final Duration probeTimeout;
    private Admin admin; // guarded by this
    private boolean closed; // guarded by this

    public KafkaBrokerReadiness(KafkaClients kafka, String clientId) {
        this(kafka, clientId, PROBE_TIMEOUT);
    }

    KafkaBrokerReadiness(KafkaClients kafka, String clientId, Duration probeTimeout) {
        this.kafka = kafka;
        this.clientId = clientId;
        this.probeTimeout = probeTimeout;
    }

    @Override
    public HealthCheckResponse call() {
        Probe p = probe();
        return HealthCheckResponse.named(NAME).status(p.up()).withData(p.up() ? "nodes" : "reason", p.detail())
                .build();
    }

    /** Asks the broker for its nodes, waiting at most the probe timeout. */
    public Probe probe() {
        Admin a;
        try {
            a = admin();
        } catch (RuntimeException e) {
            return new Probe(false, e.toString());
        }
        int ms = (int) probeTimeout.toMillis();
        try {
            Collection<Node> nodes = a.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                    .get(ms + 500L, TimeUnit.MILLISECONDS);
            return new Probe(true, nodes.stream().map(n -> n.host() + ":" + n.port())
                    .collect(Collectors.joining(",")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(false, "interrupted");
        } catch (ExecutionException e) {
            return new Probe(false, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            return new Probe(false, "the broker did not answer within " + probeTimeout);
        }
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the service is stopping");
        }
        if (admin == null) {
            int ms = (int) probeTimeout.toMillis();
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
