package run.codetether.agent.infra.swarm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import run.codetether.agent.config.AgentConfig;

/** The Kafka swarm launcher of the {@code swarm} tool; it connects only when the tool is first called. */
@ApplicationScoped
public class SwarmLauncherProducer {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Produces
    @ApplicationScoped
    KafkaSwarmLauncher launcher(AgentConfig config) {
        return new KafkaSwarmLauncher(bootstrap, config.swarm().rememberFinished());
    }

    void close(@Disposes KafkaSwarmLauncher launcher) {
        launcher.close();
    }
}
