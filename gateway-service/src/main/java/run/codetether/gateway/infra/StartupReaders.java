package run.codetether.gateway.infra;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import run.codetether.gateway.config.GatewayConfig;

/**
 * The gateway's small start-up readers (the tenants' spend, the worker registry, the MCP tool catalog): each reads
 * its compacted topic on a thread of its own ({@link BackgroundStart}) beside Quarkus' boot. They used to run one
 * after the other on the boot's main thread, each creating its Kafka clients and waiting for its catch-up before
 * the HTTP port opened (issue 19: restart to ready at a million stored tasks without the AOT cache).
 *
 * <p>Readiness: DOWN (check {@value #NAME}) while a reader has not started yet, its data naming each such reader and
 * what its start does ("starting since ...", or why a try failed and when the next begins), so a replica is routed
 * to only once it has read what the boot used to wait for; a try that fails (Kafka unreachable) is logged and tried
 * again. The endpoints a reader serves answer a retryable error meanwhile (their own classes say which).
 */
@Readiness
@Default // also injected plainly, into the readers' beans
@ApplicationScoped
public class StartupReaders implements HealthCheck {
    public static final String NAME = "start-up-readers";
    private static final Logger LOG = Logger.getLogger(StartupReaders.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    /** After the readers' own start-up observers (default priority), before the dashboard's. */
    static final int AFTER_READERS = jakarta.interceptor.Interceptor.Priority.APPLICATION + 4000;

    private final Map<String, BackgroundStart<?>> starts = new ConcurrentSkipListMap<>();
    private final Duration startWait;

    @Inject
    public StartupReaders(GatewayConfig config) {
        this(config.store().startWait());
    }

    /** @param startWait how long Quarkus' start waits for the readers (the task state's {@code store.start-wait}) */
    StartupReaders(Duration startWait) {
        this.startWait = startWait;
    }

    /**
     * Begins {@code start} on a platform thread of its own, and watches it for readiness under {@code name}.
     *
     * @param start makes the reader and waits for its catch-up, or throws having closed what it made
     * @param close closes what the start made (also when it arrives after the gateway began to stop)
     */
    public <T> BackgroundStart<T> begin(String name, String thread, Supplier<T> start, Consumer<T> close) {
        BackgroundStart<T> s = new BackgroundStart<>(thread, start, close, FIRST_PAUSE, MAX_PAUSE);
        if (starts.putIfAbsent(name, s) != null) {
            throw new IllegalStateException("the start-up reader " + name + " was begun twice");
        }
        s.started().thenRun(() -> LOG.infof("start-up reader %s: %s", name, s.describe()));
        s.begin();
        return s;
    }

    /**
     * Waits for the readers as long as {@code store.start-wait} says, as the task state's start does (0 in production:
     * not at all; the tests wait, their first requests expect what the readers read).
     */
    void awaitStarts(@Observes @Priority(AFTER_READERS) StartupEvent ev) {
        if (!startWait.isPositive()) {
            return;
        }
        long deadline = System.nanoTime() + startWait.toNanos();
        for (Map.Entry<String, BackgroundStart<?>> e : starts.entrySet()) {
            try {
                e.getValue().started().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException x) {
                LOG.warnf("the start-up reader %s is not started after %s (%s): serving, readiness DOWN until it is",
                        e.getKey(), startWait, e.getValue().describe());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException x) {
                throw new IllegalStateException(x.getCause()); // never: a failed try is tried again
            }
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME);
        boolean up = true;
        for (Map.Entry<String, BackgroundStart<?>> e : starts.entrySet()) {
            if (!(e.getValue().phase() instanceof BackgroundStart.Started)) {
                up = false;
                response.withData(e.getKey(), e.getValue().describe());
            }
        }
        return response.status(up).build();
    }
}
