package run.codetether.gateway.infra.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.config.WorkersConfig;
import run.codetether.gateway.domain.worker.WorkerDirectory;
import run.codetether.gateway.infra.BackgroundStart;
import run.codetether.gateway.infra.StartupReaders;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The worker directory of this replica and its Kafka bus, whose readers start beside the boot
 * ({@link StartupReaders}): until the registry has been read the directory says so, and what needs every replica's
 * workers (the lists, a worker's registration, a task naming a codebase) answers a retryable error. A start that
 * fails (the registry not read within the catch-up time) is tried again.
 */
@Singleton
public class WorkerBeans {
    private final WorkerDirectory directory;
    private final KafkaWorkerBus bus;
    private final GatewayConfig gateway;
    private final WorkersConfig workers;
    private final KafkaClients kafka;
    private final StartupReaders readers;
    private volatile BackgroundStart<KafkaWorkerBus> start;

    public WorkerBeans(GatewayConfig gateway, WorkersConfig workers, KafkaClients kafka, LoopHealth loops,
            StartupReaders readers) {
        this.gateway = gateway;
        this.workers = workers;
        this.kafka = kafka;
        this.readers = readers;
        this.directory = new WorkerDirectory(gateway.instanceId());
        this.bus = new KafkaWorkerBus(kafka, loops, gateway.instanceId(), directory);
        if (workers.enabled()) {
            // from the bean's creation, not the start-up event: the gRPC server may take a registration before it
            directory.reading("the worker registry (Kafka topic " + Topics.WORKERS_REGISTRY + ") is being read: the "
                    + "gateway is starting");
        }
    }

    void start(@Observes StartupEvent ev) {
        if (!workers.enabled()) {
            return;
        }
        start = readers.begin("workers", "gateway-workers-reader-" + gateway.instanceId(), () -> {
            if (gateway.kafka().createTopics()) {
                // the workers.* topics are in Topics.all; whichever start-up reader comes first creates them
                run.codetether.gateway.infra.kafka.TaskTopics.ensureOnce(kafka, gateway.kafka().partitions());
            }
            bus.start(gateway.kafka().catchUpTimeout());
            directory.read();
            return bus;
        }, b -> { }); // the bus is closed at stop below, started or not
    }

    void stop(@Observes ShutdownEvent ev) {
        BackgroundStart<KafkaWorkerBus> s = start;
        if (s != null) {
            s.close();
        }
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
