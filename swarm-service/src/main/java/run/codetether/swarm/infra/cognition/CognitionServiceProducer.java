package run.codetether.swarm.infra.cognition;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.swarm.config.SwarmConfig;
import run.codetether.swarm.domain.cognition.CognitionRuntime;
import run.codetether.swarm.domain.cognition.CognitionSettings;
import run.codetether.swarm.domain.cognition.Thinker;
import run.codetether.swarm.infra.llm.OpenAiCompatThinker;

/** Runs the persona runtime behind Kafka for the app's life when cognition is enabled. */
@ApplicationScoped
public class CognitionServiceProducer {
    private static final Logger LOG = Logger.getLogger(CognitionServiceProducer.class);
    private final SwarmConfig config;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private KafkaCognitionService service;

    public CognitionServiceProducer(SwarmConfig config, KafkaClients kafka, LoopHealth loops) {
        this.config = config;
        this.kafka = kafka;
        this.loops = loops;
    }

    void onStart(@Observes StartupEvent event) {
        SwarmConfig.Cognition c = config.cognition();
        if (!c.enabled()) {
            LOG.info("cognition disabled (CODETETHER_COGNITION_ENABLED=false): cognition commands are not served here");
            return;
        }
        service = new KafkaCognitionService(kafka, loops, c.groupId(), config.instanceId(), c.autoStart(),
                c.restoreTimeout(),
                sink -> new CognitionRuntime(settings(c), thinker(c.thinker()), sink, Clock.systemUTC())).start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (service != null) {
            service.close();
        }
    }

    static CognitionSettings settings(SwarmConfig.Cognition c) {
        return new CognitionSettings(c.enabled(), c.loopIntervalMs(), c.maxSpawnDepth(), c.maxBranchingFactor(),
                c.maxEvents(), c.maxSnapshots(), c.maxProposals());
    }

    /** Null (deterministic thoughts) when the thinker is off; an unknown backend fails the start loudly. */
    static Thinker thinker(SwarmConfig.Thinker t) {
        if (!t.enabled()) {
            return null;
        }
        if (!"openai_compat".equals(t.backend())) {
            throw new IllegalStateException("CODETETHER_COGNITION_THINKER_BACKEND=" + t.backend()
                    + " is not served by swarm-service; use openai_compat (the in-process backend of the original is"
                    + " not ported)");
        }
        return new OpenAiCompatThinker(t.baseUrl(), t.model(), t.apiKey().orElse(null), t.temperature(),
                t.maxTokens(), Duration.ofMillis(t.timeoutMs()));
    }
}
