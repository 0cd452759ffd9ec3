package run.codetether.gateway.infra.stats;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.stats.SpendStats;
import run.codetether.gateway.infra.BackgroundStart;
import run.codetether.gateway.infra.StartupReaders;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The tenants' spend this replica answers {@code GET /v1/stats} from, and its topic reader, started beside the boot
 * ({@link StartupReaders}): until it has read what the topic held, {@link #unavailable} says why and the endpoint
 * answers 503 with Retry-After.
 */
@Singleton
public class StatsBeans {
    private final SpendStats stats = new SpendStats();
    private final GatewayConfig gateway;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private final StartupReaders readers;
    private volatile BackgroundStart<KafkaSpendReader> start;
    private volatile KafkaSpendReader reader;

    public StatsBeans(GatewayConfig gateway, KafkaClients kafka, LoopHealth loops, StartupReaders readers) {
        this.gateway = gateway;
        this.kafka = kafka;
        this.loops = loops;
        this.readers = readers;
    }

    void start(@Observes StartupEvent ev) {
        start = readers.begin("stats", "gateway-stats-reader-" + gateway.instanceId(), this::startReader,
                KafkaSpendReader::close);
    }

    private KafkaSpendReader startReader() {
        if (gateway.kafka().createTopics()) {
            TaskTopics.ensureOnce(kafka, gateway.kafka().partitions()); // whichever start-up reader comes first
        }
        KafkaSpendReader r = new KafkaSpendReader(kafka, loops, gateway.instanceId(), stats);
        reader = r; // from here on, unavailable() says how far it read
        try {
            r.start(gateway.kafka().catchUpTimeout());
        } catch (RuntimeException | Error e) {
            reader = null;
            r.close();
            throw e;
        }
        return r;
    }

    void stop(@Observes ShutdownEvent ev) {
        BackgroundStart<KafkaSpendReader> s = start;
        if (s != null) {
            s.close(); // the reader, now or when its start ends
        }
    }

    /** Why the figures cannot be served now, or empty. */
    public Optional<String> unavailable() {
        KafkaSpendReader r = reader;
        if (r != null) {
            return r.unavailable();
        }
        BackgroundStart<KafkaSpendReader> s = start;
        return Optional.of("the reader of the tenants' spend is starting (" + (s == null ? "not begun" : s.describe())
                + ")");
    }

    public SpendStats stats() {
        return stats;
    }
}
