package run.codetether.agent.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.session.InMemorySessionStore;
import run.codetether.agent.infra.llm.LangChain4jProviders;
import run.codetether.agent.infra.llm.ProviderSettings;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * The one loop test harness: the loop with real providers (scripted LLM server), real gRPC tools on loopback,
 * in-memory sessions and recorded events, and the helpers loop tests share. As a JUnit extension
 * ({@code @RegisterExtension final LoopHarness h = new LoopHarness();}) it starts fresh before each test in its own
 * temp directory and is closed and deleted after it; {@code new LoopHarness(dir)} is the same, closed by the caller.
 */
public final class LoopHarness implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
    public ScriptedLlmServer llm;
    public FileToolsGrpcServer tools;
    public GrpcToolExecutor toolClient;
    public InMemorySessionStore sessions;
    public RecordingEvents events;
    public Path secrets;
    public Path dir;
    private boolean ownsDir;
    private final java.util.concurrent.atomic.AtomicReference<TaskRun> current =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Started by JUnit before each test (see {@link #beforeEach}). */
    public LoopHarness() {}

    public LoopHarness(Path dir) throws Exception {
        start(dir);
    }

    private void start(Path root) throws Exception {
        dir = root;
        llm = ScriptedLlmServer.start();
        tools = new FileToolsGrpcServer(Files.createDirectories(dir.resolve("ws")));
        toolClient = new GrpcToolExecutor("127.0.0.1", tools.port());
        sessions = new InMemorySessionStore();
        events = new RecordingEvents();
        secrets = Providers.secretsFile(dir, Providers.allKeys());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        ownsDir = true;
        start(Files.createTempDirectory("loop-harness-"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
        if (ownsDir) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temp dir left behind does not change the test's outcome
            }
        }
    }

    public ProviderResolver providers() {
        return Providers.resolver(llm, secrets, Duration.ofMinutes(5));
    }

    /** Only {@code moonshotai}, with a small context window (compaction, RLM), and no retries. */
    public ProviderResolver providers(int contextWindow) {
        Map<String, ProviderSettings> s = new HashMap<>();
        s.put("moonshotai", ProviderSettings.defaults().withBaseUrl(llm.openAiBaseUrl()).withContextWindow(contextWindow));
        return new LangChain4jProviders(s, Optional.empty(), new FileSecretSource(secrets), 0, Duration.ofSeconds(1));
    }

    /** No provider configured at all. */
    public ProviderResolver noProviders() {
        return new LangChain4jProviders(Map.of(), Optional.empty(), new FileSecretSource(secrets), 0,
                Duration.ofSeconds(1));
    }

    public AgentSettings settings() {
        return AgentSettings.defaults("test-worker").withSkillsDir(dir.resolve("skills"));
    }

    public AgentLoop loop(AgentSettings settings, ProviderResolver providers, CallRouter router) {
        return new AgentLoop(settings, providers, toolClient, router, events, sessions, TaskMetrics.NONE);
    }

    public AgentLoop loop(ProviderResolver providers, LoopTool... loopTools) {
        return loop(settings(), providers, toolClient, events, sessions, loopTools);
    }

    public AgentLoop loop(LoopTool... loopTools) {
        return loop(providers(), loopTools);
    }

    /** A loop on other ports (a Kafka session store and publisher, for instance); no router, no metrics. */
    public static AgentLoop loop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools,
            EventPublisher events, SessionStore sessions, LoopTool... loopTools) {
        return new AgentLoop(settings, providers, tools, CallRouter.DISABLED, events, sessions, TaskMetrics.NONE,
                List.of(loopTools));
    }

    /** A loop whose workspace RPCs are {@code workspaces} (the tools are the harness's gRPC server). */
    public AgentLoop loop(run.codetether.agent.domain.port.Workspaces workspaces,
            run.codetether.agent.domain.loop.WorkspaceSettings workspaceSettings, LoopTool... loopTools) {
        return new AgentLoop(settings(), providers(), toolClient, workspaces, workspaceSettings, CallRouter.DISABLED,
                events, sessions, TaskMetrics.NONE, List.of(loopTools));
    }

    /** A loop with more tool sources (MCP servers' tools) after the usual ones. */
    public AgentLoop loop(List<run.codetether.agent.domain.dispatch.ToolSource> sources, LoopTool... loopTools) {
        return loop(providers(), sources, loopTools);
    }

    /** A loop with more tool sources on other providers. */
    public AgentLoop loop(ProviderResolver providers, List<run.codetether.agent.domain.dispatch.ToolSource> sources,
            LoopTool... loopTools) {
        return new AgentLoop(settings(), providers, toolClient, run.codetether.agent.domain.port.Workspaces.NONE,
                run.codetether.agent.domain.loop.WorkspaceSettings.defaults(), CallRouter.DISABLED, events, sessions,
                TaskMetrics.NONE, List.of(loopTools), sources);
    }

    /** Runs a command to its end on this thread (the run is {@link #current} meanwhile). */
    public TaskRun run(AgentLoop loop, TaskCommand cmd) {
        TaskRun run = new TaskRun(cmd);
        current.set(run);
        loop.run(run);
        return run;
    }

    /** The run of the last command {@link #run} started: a store or publisher may abandon it as a rebalance would. */
    public TaskRun current() {
        return current.get();
    }

    /** The task's last event, which after a run is its final status. */
    public TaskEvent.StatusChanged last(String taskId) {
        List<TaskEvent> ev = events.of(taskId);
        return (TaskEvent.StatusChanged) ev.get(ev.size() - 1);
    }

    /** The text a client sees as the task's final status's message ({@link EventWait#messageText}). */
    public String finalText(String taskId) {
        return EventWait.messageText(events.of(taskId), finalOf(taskId));
    }

    /** The task's last final (or interrupted) status. */
    public TaskEvent.StatusChanged finalOf(String taskId) {
        List<TaskEvent> ev = events.of(taskId);
        for (int i = ev.size() - 1; i >= 0; i--) {
            if (ev.get(i) instanceof TaskEvent.StatusChanged s && s.isFinal()) {
                return s;
            }
        }
        throw new AssertionError("no final event: " + ev);
    }

    /** The content of the last tool result a model request carried. */
    public static String lastResult(RecordedRequest r) {
        var results = r.toolResults();
        return results.get(results.size() - 1).content();
    }

    /** The last tool result of the last model request. */
    public String lastResult() {
        List<RecordedRequest> reqs = llm.requests();
        return lastResult(reqs.get(reqs.size() - 1));
    }

    @Override
    public void close() throws Exception {
        if (toolClient != null) {
            toolClient.close();
        }
        if (tools != null) {
            tools.close();
        }
        if (llm != null) {
            llm.close();
        }
    }
}
