package run.codetether.gateway.infra.stats;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.config.StatsConfig;
import run.codetether.gateway.domain.stats.SpendStats;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/** The tenants' spend this replica answers {@code GET /v1/stats} from, its topic reader. */
@Singleton
public class StatsBeans {
    private final SpendStats stats = new SpendStats();
    private final GatewayConfig gateway;
    private final StatsConfig config;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private volatile KafkaSpendReader reader;

    public StatsBeans(GatewayConfig gateway, StatsConfig config, KafkaClients kafka, LoopHealth loops) {
        this.gateway = gateway;
        this.config = config;
        this.kafka = kafka;
        this.loops = loops;
    }

    void start(@Observes StartupEvent ev) {
        if (gateway.kafka().createTopics()) {
            TaskTopics.ensureOnce(kafka, gateway.kafka().partitions()); // this observer may run before GatewayBeans'
        }
        KafkaSpendReader r = new KafkaSpendReader(kafka, loops, gateway.instanceId(), stats);
        reader = r;
        r.start(gateway.kafka().catchUpTimeout());
    }

    void stop(@Observes ShutdownEvent ev) {
        KafkaSpendReader r = reader;
        if (r != null) {
            r.close();
        }
    }

    /** Why the figures cannot be served now, or empty. */
    public Optional<String> unavailable() {
        KafkaSpendReader r = reader;
        return r == null ? Optional.of("the gateway is starting") : r.unavailable();
    }

    public SpendStats stats() {
        return stats;
    }
}
