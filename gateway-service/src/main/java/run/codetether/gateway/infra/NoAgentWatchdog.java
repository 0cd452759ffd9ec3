package run.codetether.gateway.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.NoAgentNotice;
import run.codetether.gateway.domain.TaskLog;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Looks every few seconds whether agent-service's consumer group has a member; while it has none, tasks that wait
 * longer than {@code codetether.gateway.no-agent.notice-after} get {@link NoAgentNotice}'s status update. A group
 * that cannot be described (Kafka down) tells nothing, so nothing is said. A run that fails (the notices not
 * written) turns readiness {@value ScheduledRunsHealthCheck#NAME} DOWN until a later run completes, and the
 * schedule goes on ({@link ScheduledRun}): before, the first such run ended the schedule without a word.
 */
@ApplicationScoped
public class NoAgentWatchdog {
    private static final Logger LOG = Logger.getLogger(NoAgentWatchdog.class);
    static final String THREAD = "no-agent-watchdog";
    private static final long APPEND_WAIT_S = 10;

    private final GatewayConfig config;
    private final GatewayBeans beans;
    private final KafkaClients kafka;
    private final ScheduledRunsHealthCheck health;
    private ScheduledExecutorService timer;
    private Admin admin; // guarded by this
    private boolean stopped; // guarded by this

    public NoAgentWatchdog(GatewayConfig config, GatewayBeans beans, KafkaClients kafka,
            ScheduledRunsHealthCheck health) {
        this.config = config;
        this.beans = beans;
        this.kafka = kafka;
        this.health = health;
    }

    void start(@Observes StartupEvent ev) {
        Duration after = config.noAgent().noticeAfter();
        if (after.isZero() || after.isNegative()) {
            return;
        }
        NoAgentNotice notice = new NoAgentNotice(after);
        long every = Math.max(1_000, Math.min(5_000, after.toMillis() / 2));
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(THREAD).daemon()
                .factory());
        ScheduledRun run = health.watch(new ScheduledRun(THREAD, check(notice, this::inProgressIfStarted,
                this::agentsAlive, () -> beans.taskLog(), config.instanceId(), config.noAgent().group())));
        timer.scheduleWithFixedDelay(run, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The tasks in progress, or none while the task state still starts: a look never waits for (nor begins) the
     * start, so the timer thread is not held on it and a start that fails is not retried from here.
     */
    private Collection<Task> inProgressIfStarted() {
        var started = beans.taskStateStarted();
        if (!started.isDone() || started.isCompletedExceptionally()) {
            return List.of();
        }
        return started.join().view().inProgress();
    }

    /**
     * One look: the notices due, when no agent is in the group, appended and awaited (a notice that was not
     * written fails the run, which readiness shows). Throws what went wrong; {@link ScheduledRun} keeps the
     * schedule going.
     */
    static Runnable check(NoAgentNotice notice, Supplier<Collection<Task>> inProgress, BooleanSupplier agentsAlive,
            Supplier<TaskLog> log, String instanceId, String group) {
        return () -> {
            Collection<Task> tasks = inProgress.get();
            Instant now = Instant.now();
            // most looks find nothing due; one that does asks Kafka, and makes the notices only when no agent runs
            if (!notice.anyDue(tasks, now) || agentsAlive.getAsBoolean()) {
                return;
            }
            List<TaskEvent.StatusChanged> due = notice.due(tasks, now, instanceId);
            if (due.isEmpty()) {
                return;
            }
            LOG.infof("no member in consumer group %s: telling %d waiting tasks that no agent is running", group,
                    due.size());
            TaskLog to = log.get();
            List<CompletableFuture<List<Long>>> sent = due.stream()
                    .map(e -> to.appendEvents(e.taskId(), List.<TaskEvent>of(e))).toList();
            try {
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(APPEND_WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing the no-agent notices", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the no-agent notices of " + due.size() + " task(s) were not "
                        + "written: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the no-agent notices of " + due.size() + " task(s) were not "
                        + "written within " + APPEND_WAIT_S + " s", e);
            }
        };
    }

    /**
     * The admin client, made at the first look that needs it (on the timer's thread): most gateways never ask, and
     * made at start it was one more Kafka client on the boot's main thread (issue 19).
     */
    private synchronized Admin admin() {
        if (stopped) {
            throw new IllegalStateException("the gateway is stopping");
        }
        if (admin == null) {
            admin = kafka.admin("gateway-agent-presence-" + config.instanceId(), java.util.Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
        }
        return admin;
    }

    private boolean agentsAlive() {
        try {
            ConsumerGroupDescription d = admin().describeConsumerGroups(List.of(config.noAgent().group())).all()
                    .get(5, TimeUnit.SECONDS).get(config.noAgent().group());
            return d != null && !d.members().isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return true; // unknown: say nothing rather than something false
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
        Admin a;
        synchronized (this) {
            stopped = true;
            a = admin;
            admin = null;
        }
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
