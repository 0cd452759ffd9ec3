package run.codetether.agent.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.session.InMemorySessionStore;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/** The loop with real providers (scripted server), real gRPC tools, in-memory sessions and recorded events. */
public final class LoopHarness implements AutoCloseable {
    public final ScriptedLlmServer llm = ScriptedLlmServer.start();
    public final FileToolsGrpcServer tools;
    public final GrpcToolExecutor toolClient;
    public final InMemorySessionStore sessions = new InMemorySessionStore();
    public final RecordingEvents events = new RecordingEvents();
    public final Path secrets;
    public final Path dir;

    public LoopHarness(Path dir) throws Exception {
        this.dir = dir;
        tools = new FileToolsGrpcServer(Files.createDirectories(dir.resolve("ws")));
        toolClient = new GrpcToolExecutor("127.0.0.1", tools.port());
        secrets = Providers.secretsFile(dir, Providers.allKeys());
    }

    public ProviderResolver providers() {
        return Providers.resolver(llm, secrets, Duration.ofMinutes(5));
    }

    public AgentSettings settings() {
        return AgentSettings.defaults("test-worker").withSkillsDir(dir.resolve("skills"));
    }

    public AgentLoop loop(AgentSettings settings, ProviderResolver providers, CallRouter router) {
        return new AgentLoop(settings, providers, toolClient, router, events, sessions, TaskMetrics.NONE);
    }

    public AgentLoop loop(LoopTool... loopTools) {
        return new AgentLoop(settings(), providers(), toolClient, CallRouter.DISABLED, events, sessions, TaskMetrics.NONE,
                java.util.List.of(loopTools));
    }

    public AgentLoop loop() {
        return loop(settings(), providers(), CallRouter.DISABLED);
    }

    /** Runs a command to its end on this thread. */
    public TaskRun run(AgentLoop loop, TaskCommand cmd) {
        TaskRun run = new TaskRun(cmd);
        loop.run(run);
        return run;
    }

    @Override
    public void close() throws Exception {
        toolClient.close();
        tools.close();
        llm.close();
    }
}
