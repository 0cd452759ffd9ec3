package run.codetether.gateway.infra.dashboard;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import run.codetether.gateway.config.DashboardConfig;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.dashboard.BoardWatchers;
import run.codetether.gateway.domain.dashboard.TaskBoard;
import run.codetether.gateway.infra.GatewayBeans;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Wires the dashboard's read model to Kafka and the services it watches. The board fills in the background: the
 * gateway serves A2A before the dashboard has replayed recent events (a dashboard opened that early shows a
 * shorter list, never a wrong one).
 */
@ApplicationScoped
public class DashboardBeans {
    /** After every start-up observer of default priority ({@code Interceptor.Priority.APPLICATION + 500}). */
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DashboardBeans.class);
    static final int LAST = jakarta.interceptor.Interceptor.Priority.APPLICATION + 5000;
    private final DashboardConfig config;
    private final GatewayConfig gateway;
    private final KafkaClients kafka;
    private final TaskBoard board;
    private final BoardWatchers watchers;
    private final GatewayBeans tasks;
    private KafkaBoardFeed feed;
    private boolean stopped;
    private DashboardMonitor monitor;
    private KafkaTimelineReader timeline;

    public DashboardBeans(DashboardConfig config, GatewayConfig gateway,
            KafkaClients kafka, GatewayBeans tasks) {
        this.config = config;
        this.gateway = gateway;
        this.kafka = kafka;
        this.tasks = tasks;
        this.board = new TaskBoard(config.maxTasks());
        this.watchers = new BoardWatchers(config.idleAfter(), board::subscribers, System::currentTimeMillis);
    }

    /**
     * Last of the start-up observers (after the other readers started), and the feed only once the task state caught
     * up (it runs on a thread of its own): the feed's one read of {@code tasks.state} decodes every stored task (a
     * million: minutes of CPU), which earlier in the start took the CPU the gateway's own start needed
     * (bench/README.md "Gateway task store").
     */
    synchronized void start(@Observes @Priority(LAST) StartupEvent ev) {
        if (config.enabled() && !stopped) {
            monitor().start();
            tasks.taskStoreStarted().thenAccept(this::startFeed).exceptionally(e -> {
                LOG.errorf(e, "the dashboard's task feed did not start: the board stays empty");
                return null;
            });
        }
    }

    private synchronized void startFeed(run.codetether.gateway.domain.TaskStore store) {
        if (!stopped) {
            feed = new KafkaBoardFeed(kafka, gateway.instanceId(), board, config.replayPerPartition(), watchers,
                    store);
            feed.start();
        }
    }

    /** The gateway's own readiness and metrics are read over loopback once its port is known. */
    void listening(@Observes HttpServerStart start) {
        int port = start.options().getPort();
        if (port <= 0) {
            port = Integer.getInteger("quarkus.http.test-port", Integer.getInteger("quarkus.http.port", 0));
        }
        if (port > 0) {
            monitor().self(URI.create("http://127.0.0.1:" + port));
        }
    }

    synchronized void stop(@Observes ShutdownEvent ev) {
        stopped = true;
        if (feed != null) {
            feed.close();
        }
        if (monitor != null) {
            monitor.close();
        }
    }

    @Produces
    @Singleton
    TaskBoard board() {
        return board;
    }

    @Produces
    @Singleton
    BoardWatchers watchers() {
        return watchers;
    }

    @Produces
    @Singleton
    synchronized KafkaTimelineReader timeline() {
        if (timeline == null) {
            timeline = new KafkaTimelineReader(kafka, gateway.instanceId(), config.timelineMaxScan(),
                    config.timelineConcurrency(), config.timelineReadTimeout());
        }
        return timeline;
    }

    @Produces
    @Singleton
    synchronized DashboardMonitor monitor() {
        if (monitor == null) {
            List<DashboardMonitor.Target> targets = new ArrayList<>();
            for (Map.Entry<String, DashboardConfig.Service> s : new TreeMap<>(config.services()).entrySet()) {
                String url = s.getValue().url().replaceAll("/+$", "");
                targets.add(new DashboardMonitor.Target(s.getKey(), URI.create(url)));
            }
            monitor = new DashboardMonitor(targets, new ServiceProbe(config.probeTimeout()),
                    new KafkaLagReader(kafka, config.probeTimeout().toMillis()),
                    () -> board.stats(s -> true), config.scrapeInterval(), config.history());
        }
        return monitor;
    }
}
