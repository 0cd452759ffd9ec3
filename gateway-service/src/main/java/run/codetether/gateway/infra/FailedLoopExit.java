package run.codetether.gateway.infra;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import run.codetether.gateway.config.LoopWatchConfig;
import run.codetether.platform.kafka.LoopHealth;

/** Exits the gateway (status {@value #EXIT_STATUS}, reason logged) when one of its Kafka loops stays dead. */
@ApplicationScoped
public class FailedLoopExit {
    public static final int EXIT_STATUS = 4;
    private static final Logger LOG = Logger.getLogger(FailedLoopExit.class);

    private final LoopWatchConfig config;
    private final LoopHealth loops;
    private volatile FailedLoopWatch watch;

    public FailedLoopExit(LoopWatchConfig config, LoopHealth loops) {
        this.config = config;
        this.loops = loops;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            LOG.warn("the Kafka loop watch is off (codetether.gateway.loop-watch.enabled=false): a gateway whose "
                    + "loop died stays up, not ready");
            return;
        }
        watch = new FailedLoopWatch(loops::failed, config.timeout(), config.interval(), message -> {
            LOG.error(message);
            Quarkus.asyncExit(EXIT_STATUS);
        });
    }

    void stop(@Observes ShutdownEvent ev) {
        FailedLoopWatch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
