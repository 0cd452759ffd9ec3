package run.codetether.gateway.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.StartSweep;
import run.codetether.gateway.infra.kafka.StartSweeper;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * Starts this replica's part of the start sweep ({@link StartSweep}; {@code codetether.gateway.start-sweep.*}).
 */
@ApplicationScoped
public class StartSweepWatch {
    private static final Logger LOG = Logger.getLogger(StartSweepWatch.class);

    private final GatewayConfig config;
    private final GatewayBeans beans;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private StartSweeper sweeper;
    private boolean stopped;

    public StartSweepWatch(GatewayConfig config, GatewayBeans beans, KafkaClients kafka, LoopHealth loops) {
        this.config = config;
        this.beans = beans;
        this.kafka = kafka;
        this.loops = loops;
    }

    void start(@Observes StartupEvent ev) {
        Duration after = config.startSweep().after();
        if (after.isZero() || after.isNegative()) {
            LOG.info("start sweep off (codetether.gateway.start-sweep.after=0): a task whose gateway stopped between "
                    + "its two accept writes stays SUBMITTED");
            return;
        }
        Duration floor = config.kafka().sendTimeout().multipliedBy(4);
        if (after.compareTo(floor) < 0) {
            throw new IllegalStateException("codetether.gateway.start-sweep.after (" + after + ") must be at least 4x "
                    + "codetether.gateway.kafka.send-timeout (" + config.kafka().sendTimeout() + "): a task's work "
                    + "request can land up to the send timeout after its events");
        }
        // it judges tasks by the folded view: it joins its group once the task state caught up (its own thread)
        beans.taskStateStarted().thenAccept(t -> begin(after, t)).exceptionally(e -> {
            LOG.errorf(e, "the start sweep did not start: tasks whose gateway stopped between their two accept writes "
                    + "stay SUBMITTED");
            return null;
        });
    }

    private synchronized void begin(Duration after, GatewayBeans.TaskState t) {
        if (!stopped) {
            sweeper = new StartSweeper(kafka, Topics.TASKS_REQUESTED, config.startSweep().group(),
                    config.instanceId(), new StartSweep(after), t.view(), t.log(), loops).start();
        }
    }

    synchronized void stop(@Observes ShutdownEvent ev) {
        stopped = true;
        if (sweeper != null) {
            sweeper.close();
        }
    }
}
