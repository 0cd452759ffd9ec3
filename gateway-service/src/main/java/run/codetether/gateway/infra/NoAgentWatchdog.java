package run.codetether.gateway.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.NoAgentNotice;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Looks every few seconds whether agent-service's consumer group has a member; while it has none, tasks that wait
 * longer than {@code codetether.gateway.no-agent.notice-after} get {@link NoAgentNotice}'s status update. A group
 * that cannot be described (Kafka down) tells nothing, so nothing is said.
 */
@ApplicationScoped
public class NoAgentWatchdog {
    private static final Logger LOG = Logger.getLogger(NoAgentWatchdog.class);

    private final GatewayConfig config;
    private final GatewayBeans beans;
    private final KafkaClients kafka;
    private ScheduledExecutorService timer;
    private Admin admin;

    public NoAgentWatchdog(GatewayConfig config, GatewayBeans beans, KafkaClients kafka) {
        this.config = config;
        this.beans = beans;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent ev) {
        Duration after = config.noAgent().noticeAfter();
        if (after.isZero() || after.isNegative()) {
            return;
        }
        NoAgentNotice notice = new NoAgentNotice(after);
        admin = kafka.admin("gateway-agent-presence-" + config.instanceId(), java.util.Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
        long every = Math.max(1_000, Math.min(5_000, after.toMillis() / 2));
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("no-agent-watchdog").daemon()
                .factory());
        timer.scheduleWithFixedDelay(() -> check(notice), every, every, TimeUnit.MILLISECONDS);
    }

    private void check(NoAgentNotice notice) {
        try {
            List<TaskEvent.StatusChanged> due = notice.due(beans.view().inProgress(), Instant.now(), config.instanceId());
            if (due.isEmpty() || agentsAlive()) {
                return;
            }
            LOG.infof("no member in consumer group %s: telling %d waiting tasks that no agent is running",
                    config.noAgent().group(), due.size());
            for (TaskEvent.StatusChanged e : due) {
                beans.taskLog().appendEvents(e.taskId(), List.of(e));
            }
        } catch (RuntimeException e) {
            LOG.debugf("no-agent check skipped: %s", e.getMessage());
        }
    }

    private boolean agentsAlive() {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(config.noAgent().group())).all()
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
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
