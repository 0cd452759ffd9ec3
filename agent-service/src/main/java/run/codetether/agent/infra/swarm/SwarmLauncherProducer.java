package run.codetether.agent.infra.swarm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import run.codetether.agent.config.AgentConfig;
import run.codetether.platform.kafka.KafkaClients;

/** The Kafka swarm launcher of the {@code swarm} tool; it connects only when the tool is first called. */
@ApplicationScoped
public class SwarmLauncherProducer {

    @Produces
    @ApplicationScoped
    KafkaSwarmLauncher launcher(AgentConfig config, KafkaClients kafka) {
        return new KafkaSwarmLauncher(kafka, config.swarm().rememberFinished());
    }

    void close(@Disposes KafkaSwarmLauncher launcher) {
        launcher.close();
    }
}
