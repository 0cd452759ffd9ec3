package run.codetether.agent.infra.quarkus;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import run.codetether.agent.config.AgentConfig;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.infra.kafka.AgentWorker;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/** Starts the Kafka worker at boot and hands its tasks over at shutdown. */
@ApplicationScoped
public class WorkerLifecycle {
    @Inject
    AgentConfig config;

    @Inject
    AgentLoop loop;

    @Inject
    KafkaClients kafka;

    @Inject
    LoopHealth loops;

    private volatile AgentWorker worker;

    void start(@Observes StartupEvent ev) {
        if (config.workerEnabled()) {
            worker = new AgentWorker(kafka, Topics.TASKS_REQUESTED, config.workerGroup(), config.instanceId(), loop,
                    config.maxConcurrentTasks(), AgentProducers.tuning(config), loops);
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        AgentWorker w = worker;
        if (w != null) {
            w.close();
        }
    }

    public AgentWorker worker() {
        return worker;
    }
}
