package run.codetether.agent.infra.quarkus;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vault.VaultKVSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import run.codetether.agent.config.AgentConfig;
import run.codetether.agent.config.AgentWorkersConfig;
import run.codetether.agent.config.BudgetsConfig;
import run.codetether.agent.config.ProvidersConfig;
import run.codetether.platform.budget.DailySpend;
import run.codetether.platform.budget.SpendLedger;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.mcp.McpToolSource;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.domain.ralph.PrdTool;
import run.codetether.agent.domain.ralph.RalphSettings;
import run.codetether.agent.domain.ralph.RalphTool;
import run.codetether.agent.domain.rlm.RlmSettings;
import run.codetether.agent.domain.rlm.RlmTool;
import run.codetether.agent.domain.swarm.SwarmTool;
import run.codetether.agent.domain.swarm.SwarmToolSettings;
import run.codetether.platform.budget.KafkaSpendLedger;
import run.codetether.agent.infra.kafka.KafkaEventPublisher;
import run.codetether.agent.infra.kafka.KafkaSessionStore;
import run.codetether.agent.infra.kafka.KafkaTuning;
import run.codetether.agent.infra.llm.LangChain4jProviders;
import run.codetether.agent.infra.llm.ProviderSettings;
import run.codetether.agent.infra.router.GrpcCallRouter;
import run.codetether.agent.infra.swarm.KafkaSwarmLauncher;
import run.codetether.agent.infra.tools.GrpcMcpTools;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.agent.infra.tools.GrpcWorkspaces;
import run.codetether.agent.infra.worker.KafkaWorkerCalls;
import run.codetether.agent.infra.worker.WorkerRouting;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.platform.secrets.ServiceSecrets;

/** Wires the plain-Java domain to its adapters from configuration. */
@ApplicationScoped
public class AgentProducers {

    @ConfigProperty(name = "quarkus.vault.url")
    Optional<String> vaultUrl;

    @ConfigProperty(name = "quarkus.vault.kv-secret-engine-mount-path", defaultValue = "secret")
    String vaultMount;

    @Produces
    @ApplicationScoped
    SecretSource secrets(AgentConfig config, Instance<VaultKVSecretEngine> kv) {
        return ServiceSecrets.layered(new ServiceSecrets.Vault(vaultUrl, vaultMount, config.vault().secretsPath(),
                path -> kv.get().readSecret(path)), config.secretsFile(), config.secretsCacheTtl(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ProviderResolver providers(AgentConfig config, ProvidersConfig providers, SecretSource secrets,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "codetether.models.catalog")
            Optional<String> catalog) {
        Map<String, ProviderSettings> settings = new HashMap<>();
        providers.providers().forEach((name, p) -> settings.put(name, new ProviderSettings(
                p.baseUrl().filter(s -> !s.isBlank()), p.model().filter(s -> !s.isBlank()), p.timeout(), p.region(),
                p.streaming(), p.contextWindow(), p.apiVersion())));
        // the deployment's own catalog (file or URL) replaces the built-in prices without a rebuild
        return new LangChain4jProviders(settings, config.defaultProvider(), secrets, config.providerMaxRetries(),
                config.providerMaxRetryWait(), run.codetether.contracts.models.ModelCatalog.load(catalog));
    }

    @Produces
    @ApplicationScoped
    GrpcToolExecutor tools(AgentConfig config) {
        var t = config.tools();
        return new GrpcToolExecutor(t.host(), t.port(), retry(t));
    }

    /** How a tools-service call (Execute, CallMcpTool) cut off by tools-service's death is repeated. */
    private static run.codetether.agent.infra.tools.ToolRetry retry(AgentConfig.Tools t) {
        return new run.codetether.agent.infra.tools.ToolRetry(t.retryFor(), t.retryBackoff(), t.retryMaxBackoff());
    }

    void closeTools(@Disposes GrpcToolExecutor tools) {
        tools.close();
    }

    @Produces
    @ApplicationScoped
    CallRouter router(AgentConfig config) {
        return config.router().enabled()
                ? new GrpcCallRouter(config.router().host(), config.router().port(), config.router().timeout().toMillis())
                : CallRouter.DISABLED;
    }

    @Produces
    @ApplicationScoped
    KafkaEventPublisher events(AgentConfig c, KafkaClients kafka) {
        return new KafkaEventPublisher(kafka, tuning(c));
    }

    void closeEvents(@Disposes KafkaEventPublisher events) {
        events.close();
    }

    @Produces
    @ApplicationScoped
    KafkaSessionStore sessions(AgentConfig c, KafkaClients kafka) {
        return new KafkaSessionStore(kafka, Topics.AGENT_SESSIONS, c.sessionIndexMaxKeys(), c.sessionIndexWait(),
                tuning(c));
    }

    static KafkaTuning tuning(AgentConfig c) {
        AgentConfig.Kafka k = c.kafka();
        return new KafkaTuning(k.sessionTimeout(), k.heartbeatInterval(), k.deliveryTimeout(), k.maxBlock());
    }

    void closeSessions(@Disposes KafkaSessionStore sessions) {
        sessions.close();
    }

    @Produces
    @ApplicationScoped
    GrpcMcpTools mcpTools(AgentConfig config) {
        return new GrpcMcpTools(config.tools().host(), config.tools().port(), retry(config.tools()));
    }

    void closeMcpTools(@Disposes GrpcMcpTools tools) {
        tools.close();
    }

    /** Tool calls of tasks on a worker's codebase (docs/worker.md), over the workers.* topics. */
    @Produces
    @ApplicationScoped
    KafkaWorkerCalls workerCalls(AgentConfig c, AgentWorkersConfig w, KafkaClients kafka,
            run.codetether.platform.kafka.LoopHealth loops) {
        KafkaWorkerCalls calls = new KafkaWorkerCalls(kafka, loops, c.instanceId(), w.waitFor());
        calls.start(w.catchUpTimeout());
        return calls;
    }

    void closeWorkerCalls(@Disposes KafkaWorkerCalls calls) {
        calls.close();
    }

    @Produces
    @ApplicationScoped
    AgentLoop loop(AgentConfig c, ProviderResolver providers, GrpcToolExecutor toolsService, CallRouter router,
            KafkaEventPublisher events, KafkaSessionStore sessions, MeterRegistry registry, KafkaSwarmLauncher swarm,
            GrpcMcpTools mcp, KafkaWorkerCalls workerCalls, BudgetsConfig budgets, SpendLedger spend) {
        ToolExecutor tools = new WorkerRouting(toolsService, workerCalls);
        AgentSettings defaults = AgentSettings.defaults(c.instanceId());
        AgentSettings settings = new AgentSettings(c.instanceId(), c.maxSteps(), c.taskTimeout(), c.toolTimeout(),
                c.compactAt(), c.keepRecentMessages(), defaults.partialEvery(),
                c.skillsDir().map(Path::of).orElse(defaults.skillsDir()), c.firstChunkHold());
        AgentConfig.Workspace w = c.workspace();
        Workspaces.Author author = w.authorName().isPresent() && w.authorEmail().isPresent()
                ? new Workspaces.Author(w.authorName().get(), w.authorEmail().get()) : null;
        return new AgentLoop(settings, providers, tools, new GrpcWorkspaces(toolsService, w.timeout()),
                new WorkspaceSettings(author, w.maxDiffArtifactBytes()), router, (EventPublisher) events,
                (SessionStore) sessions, new MicrometerTaskMetrics(registry), loopTools(c, swarm),
                List.of(new McpToolSource(McpPolicies.from(c.mcp()), mcp, c.mcp().listTimeout(), c.mcp().listCache(),
                        Clock.systemUTC())),
                TenantBudgets.of(budgets, Clock.systemUTC(), spend));
    }

    /** The tenants' daily spend: shared by every replica over Kafka (docs/providers.md "Budgets"), or this one's. */
    @Produces
    @ApplicationScoped
    SpendLedger spendLedger(AgentConfig c, BudgetsConfig budgets, KafkaClients kafka) {
        if (!budgets.shared()) {
            return new DailySpend();
        }
        return new KafkaSpendLedger(kafka, c.instanceId(), budgets.publishInterval(), budgets.retentionDays(),
                Clock.systemUTC(), null)
                .start(budgets.catchUpTimeout());
    }

    void closeSpendLedger(@Disposes SpendLedger spend) {
        if (spend instanceof KafkaSpendLedger k) {
            k.close();
        }
    }

    /** Agent-level tools that drive the loop itself (one line per tool: rlm, ralph, prd, swarm). */
    private static List<LoopTool> loopTools(AgentConfig c, KafkaSwarmLauncher swarm) {
        List<LoopTool> tools = new ArrayList<>();
        tools.add(new RalphTool(new RalphSettings(c.ralph().maxIterations(), c.ralph().checkTimeout(), c.ralph().progressChars())));
        tools.add(new PrdTool());
        tools.add(new RlmTool(rlmSettings(c.rlm())));
        if (c.swarm().enabled()) {
            tools.add(new SwarmTool(swarm, new SwarmToolSettings(c.swarm().timeout(), null)));
        }
        return tools;
    }

    static RlmSettings rlmSettings(AgentConfig.Rlm r) {
        return new RlmSettings(RlmSettings.Mode.parse(r.mode()), r.routeToolOutput(), r.threshold(), r.maxIterations(),
                r.maxSubcalls(), r.maxDepth(), r.stepOutputChars(), r.subcallContextChars(), r.maxContentChars());
    }
}
