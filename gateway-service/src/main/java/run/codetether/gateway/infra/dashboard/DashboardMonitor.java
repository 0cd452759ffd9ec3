package run.codetether.gateway.infra.dashboard;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.dashboard.PlatformFigures;
import run.codetether.gateway.domain.dashboard.PromSamples;
import run.codetether.gateway.domain.dashboard.TaskBoard;

/**
 * Health and capacity of the platform as the dashboard shows it: every configured service's readiness and
 * metrics, Kafka consumer lag, and the figures derived from them, refreshed every scrape interval while a dashboard
 * watches (a replica nobody looks at scrapes nothing), with a short history for the charts.
 */
public final class DashboardMonitor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DashboardMonitor.class);
    private static final long WATCH_MILLIS = 120_000;

    /** One service to watch; {@code base} null for the gateway until its own port is known. */
    public record Target(String name, URI base) {}

    public record ServiceView(String name, String url, String status, List<ServiceProbe.Check> checks, String error,
            long millis, boolean metrics) {}

    public record LagView(List<KafkaLagReader.GroupLag> groups, long total, String error) {}

    public record Series(List<Long> t, Map<String, List<Double>> values) {}

    public record Snapshot(Instant at, List<ServiceView> services, LagView kafka, List<PlatformFigures.Figure> figures,
            Series series) {}

    private record Scrape(PromSamples samples, long nanos) {}

    private record Point(long at, Map<String, Double> values) {}

    private final List<Target> targets;
    private final ServiceProbe probe;
    private final KafkaLagReader lag;
    private final Supplier<TaskBoard.Stats> board;
    private final Duration interval;
    private final int history;
    private final ReentrantLock refreshing = new ReentrantLock();
    private final Map<String, Scrape> last = new HashMap<>();
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private volatile URI self;
    private volatile Snapshot latest;
    private volatile long watchedUntil;
    private volatile boolean running = true;
    private Thread thread;

    public DashboardMonitor(List<Target> targets, ServiceProbe probe, KafkaLagReader lag,
            Supplier<TaskBoard.Stats> board, Duration interval, int history) {
        this.targets = List.copyOf(targets);
        this.probe = probe;
        this.lag = lag;
        this.board = board;
        this.interval = interval;
        this.history = history;
    }

    /** The gateway's own base URL (its port is only known once it listens). */
    public void self(URI base) {
        this.self = base;
    }

    public boolean knowsSelf() {
        return self != null;
    }

    public void start() {
        thread = Thread.ofVirtual().name("dashboard-monitor").start(() -> {
            while (running) {
                try {
                    if (System.currentTimeMillis() < watchedUntil) {
                        refresh();
                    }
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("dashboard monitor refresh failed: %s", e.toString());
                }
            }
        });
    }

    /** The latest view; refreshed first when none is recent (a newly opened dashboard sees fresh figures). */
    public Snapshot snapshot() {
        watchedUntil = System.currentTimeMillis() + WATCH_MILLIS;
        Snapshot s = latest;
        if (s == null || s.at().isBefore(Instant.now().minus(interval.multipliedBy(2)))) {
            refresh();
        }
        return latest;
    }

    private void refresh() {
        if (!refreshing.tryLock()) {
            refreshing.lock(); // another thread refreshes now: wait for its result instead of probing twice
            refreshing.unlock();
            return;
        }
        try {
            latest = collect();
        } finally {
            refreshing.unlock();
        }
    }

    private Snapshot collect() {
        List<Target> all = new ArrayList<>();
        if (self != null) {
            all.add(new Target("gateway", self));
        }
        all.addAll(targets);
        Map<String, CompletableFuture<ServiceProbe.Health>> health = new LinkedHashMap<>();
        Map<String, CompletableFuture<PromSamples>> metrics = new LinkedHashMap<>();
        for (Target t : all) {
            health.put(t.name(), probe.health(t.base()));
            metrics.put(t.name(), probe.metrics(t.base()));
        }
        LagView kafka = lag();
        long now = System.nanoTime();
        List<ServiceView> services = new ArrayList<>();
        Map<String, PromSamples> current = new HashMap<>();
        Map<String, PromSamples> previous = new HashMap<>();
        Map<String, Double> seconds = new HashMap<>();
        for (Target t : all) {
            ServiceProbe.Health h = health.get(t.name()).join();
            PromSamples m = metrics.get(t.name()).join();
            services.add(new ServiceView(t.name(), t.base().toString(), h.status(), h.checks(), h.error(), h.millis(),
                    m != null));
            if (m != null) {
                Scrape before = last.put(t.name(), new Scrape(m, now));
                current.put(t.name(), m);
                if (before != null) {
                    previous.put(t.name(), before.samples());
                    seconds.put(t.name(), (now - before.nanos()) / 1e9);
                }
            }
        }
        List<PlatformFigures.Figure> figures = PlatformFigures.of(previous, current, seconds, board.get(),
                kafka.error() == null ? kafka.total() : null);
        Map<String, Double> values = new LinkedHashMap<>();
        figures.forEach(f -> values.put(f.key(), f.value()));
        points.addLast(new Point(System.currentTimeMillis(), values));
        while (points.size() > history) {
            points.removeFirst();
        }
        return new Snapshot(Instant.now(), services, kafka, figures, series());
    }

    private LagView lag() {
        try {
            List<KafkaLagReader.GroupLag> groups = lag.read();
            return new LagView(groups, groups.stream().mapToLong(KafkaLagReader.GroupLag::lag).sum(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LagView(List.of(), 0, "interrupted");
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new LagView(List.of(), 0, "cannot read consumer lag from Kafka: " + c.getMessage());
        }
    }

    private Series series() {
        List<Long> t = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (Point p : points) {
            t.add(p.at());
            for (String key : p.values().keySet()) {
                values.computeIfAbsent(key, k -> new ArrayList<>());
            }
        }
        for (Point p : points) {
            values.forEach((k, list) -> list.add(p.values().get(k)));
        }
        return new Series(t, values);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lag.close();
    }
}
