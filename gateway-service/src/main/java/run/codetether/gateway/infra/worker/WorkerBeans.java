package run.codetether.gateway.infra.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.config.WorkersConfig;
import run.codetether.gateway.domain.worker.WorkerDirectory;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/** The worker directory of this replica and its Kafka bus, started with the gateway (the registry read first). */
@Singleton
public class WorkerBeans {
    private final WorkerDirectory directory;
    private final KafkaWorkerBus bus;
    private final GatewayConfig gateway;
    private final WorkersConfig workers;
    private final KafkaClients kafka;

    public WorkerBeans(GatewayConfig gateway, WorkersConfig workers, KafkaClients kafka, LoopHealth loops) {
        this.gateway = gateway;
        this.workers = workers;
        this.kafka = kafka;
        this.directory = new WorkerDirectory(gateway.instanceId());
        this.bus = new KafkaWorkerBus(kafka, loops, gateway.instanceId(), directory);
    }

    void start(@Observes StartupEvent ev) {
        if (workers.enabled()) {
            if (gateway.kafka().createTopics()) {
                // the workers.* topics are in Topics.all; this observer may run before GatewayBeans creates them
                run.codetether.gateway.infra.kafka.TaskTopics.ensureOnce(kafka, gateway.kafka().partitions());
            }
            bus.start(gateway.kafka().catchUpTimeout());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        bus.close();
    }

    @Produces
    @Singleton
    WorkerDirectory directory() {
        return directory;
    }

    @Produces
    @Singleton
    KafkaWorkerBus bus() {
        return bus;
    }
}
