package run.codetether.agent.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.infra.kafka.AgentWorker;
import run.codetether.agent.infra.kafka.KafkaEventPublisher;
import run.codetether.agent.infra.kafka.KafkaSessionStore;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * The agent's whole path on the shared broker, as the e2e tests run it: a command topic of the test's own, the
 * real worker and loop, LangChain4j against the scripted provider server (every provider's key in a secrets file),
 * real gRPC file tools on a temp workspace, sessions in agent.sessions, and a client that sends commands and reads
 * tasks.events ({@link KafkaEvents}). Started ready (the worker holds its partitions); one per test class.
 */
public final class WireStack implements AutoCloseable {
    public final String topic;
    public final ScriptedLlmServer llm;
    public final FileToolsGrpcServer tools;
    public final KafkaSessionStore sessions;
    public final KafkaEvents gateway;
    private final GrpcToolExecutor toolClient;
    private final KafkaEventPublisher publisher;
    private final AgentWorker worker;

    /**
     * @param name prefix of the command topic and the worker's group
     * @param settings adjusts the worker's defaults (workerId w1, skills in {@code dir})
     * @param slots tasks the worker runs at once
     */
    public static WireStack start(Path dir, String name, UnaryOperator<AgentSettings> settings, int slots)
            throws Exception {
        return new WireStack(dir, name, settings, slots);
    }

    private WireStack(Path dir, String name, UnaryOperator<AgentSettings> settings, int slots) throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        topic = "tasks.requested." + name + "-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 4, false)));
        llm = ScriptedLlmServer.start();
        tools = new FileToolsGrpcServer(Files.createDirectories(dir.resolve("ws")));
        toolClient = new GrpcToolExecutor("127.0.0.1", tools.port());
        sessions = new KafkaSessionStore(bootstrap);
        publisher = new KafkaEventPublisher(bootstrap);
        AgentLoop loop = LoopHarness.loop(settings.apply(AgentSettings.defaults("w1").withSkillsDir(dir)),
                Providers.resolver(llm, Providers.secretsFile(dir, Providers.allKeys()), Duration.ofMinutes(5)),
                toolClient, publisher, sessions);
        worker = new AgentWorker(bootstrap, topic, name + "-" + UUID.randomUUID(), "w1", loop, slots);
        gateway = new KafkaEvents(bootstrap, topic);
        assertTrue(worker.awaitReady(Duration.ofSeconds(30)), "worker got no partitions");
    }

    @Override
    public void close() throws Exception {
        worker.close();
        gateway.close();
        sessions.close();
        publisher.close();
        toolClient.close();
        tools.close();
        llm.close();
    }
}
