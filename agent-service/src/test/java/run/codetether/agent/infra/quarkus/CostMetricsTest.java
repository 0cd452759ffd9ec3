package run.codetether.agent.infra.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.infra.llm.LangChain4jProviders;
import run.codetether.agent.infra.llm.ProviderSettings;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.llm.Reply;

/** codetether_tokens_total and codetether_cost_usd_total by provider, model and tenant after a scripted run. */
class CostMetricsTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private void run(io.micrometer.core.instrument.MeterRegistry registry, String provider, String taskId) throws Exception {
        run(registry, provider, taskId, Reply.text("hi").withUsage(2_000_000, 100_000));
    }

    private void run(io.micrometer.core.instrument.MeterRegistry registry, String provider, String taskId,
            Reply.Answer reply) throws Exception {
        Map<String, ProviderSettings> s = new HashMap<>();
        s.put(provider, ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()));
        Providers.write(h.secrets, Map.of(provider, Map.of("api_key", "sk-test-0123456789abcdef")));
        var providers = new LangChain4jProviders(s, Optional.empty(), new FileSecretSource(h.secrets), 0,
                Duration.ofSeconds(1));
        AgentLoop loop = new AgentLoop(h.settings(), providers, h.toolClient, CallRouter.DISABLED, h.events, h.sessions,
                new MicrometerTaskMetrics(registry));
        h.llm.enqueue(reply);
        h.run(loop, new TaskCommand.StartTask(taskId, "c-" + taskId, "acme",
                Commands.start(taskId, "c", provider, "hi").message(), provider, null, null, null, null, null, Map.of(),
                null));
    }

    @Test
    void aPricedRunCountsTokensAndCostByProviderModelAndTenant() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        run(registry, "deepseek", "t-metrics");

        assertEquals(2_000_000, registry.get("codetether.tokens").tags("direction", "input", "provider", "deepseek",
                "model", "deepseek-chat", "tenant", "acme").counter().count());
        assertEquals(100_000, registry.get("codetether.tokens").tags("direction", "output", "tenant", "acme")
                .counter().count());
        // deepseek-chat at $0.28 in / $0.42 out per million: 0.56 + 0.042
        assertEquals(0.602, registry.get("codetether.cost.usd").tags("provider", "deepseek", "model", "deepseek-chat",
                "tenant", "acme").counter().count(), 0.005);
    }

    @Test
    void cacheReadTokensAreTheirOwnDirectionAndPricedAtTheCacheRate() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        run(registry, "deepseek", "t-cached", Reply.text("hi").withUsage(1_000_000, 0).withCache(3_000_000, 0));

        assertEquals(1_000_000, registry.get("codetether.tokens").tags("direction", "input", "tenant", "acme")
                .counter().count(), "input excludes the cached tokens");
        assertEquals(3_000_000, registry.get("codetether.tokens").tags("direction", "cache_read", "tenant", "acme")
                .counter().count());
        // deepseek-chat: $0.28 per million fresh, $0.028 per million read from the cache: 0.28 + 0.084
        assertEquals(0.364, registry.get("codetether.cost.usd").tags("tenant", "acme").counter().count(), 0.0005);
    }

    @Test
    void modelCallLatencyIsExportedAsAHistogram() throws Exception {
        var registry = new io.micrometer.prometheus.PrometheusMeterRegistry(
                io.micrometer.prometheus.PrometheusConfig.DEFAULT);
        run(registry, "deepseek", "t-histogram");
        String scrape = registry.scrape();
        assertTrue(scrape.contains("codetether_agent_model_call_seconds_bucket{"),
                "the dashboard's p50/p99 read the _bucket series: " + scrape);
    }

    @Test
    void anUnpricedRunCountsTokensButNoCost() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        run(registry, "ollama", "t-unpriced");

        assertEquals(2_000_000, registry.get("codetether.tokens").tags("direction", "input", "provider", "ollama",
                "tenant", "acme").counter().count());
        assertNull(registry.find("codetether.cost.usd").tags("provider", "ollama").counter(), "unpriced is not $0");
        assertNull(registry.find("codetether.agent.cost.usd").tags("provider", "ollama").counter(),
                "nor in the older series");
        assertEquals(2_000_000, registry.get("codetether.agent.tokens").tags("direction", "input", "provider", "ollama")
                .counter().count());
    }

    /**
     * The names Prometheus scrapes (issue 17: codetether_tokens_total, codetether_cost_usd_total by
     * provider/model/tenant), as the registry Quarkus serves on /q/metrics writes them; an unpriced model has no cost
     * sample at all in either cost series.
     */
    @Test
    void prometheusSeesTheIssuesNamesAndNoCostForAnUnpricedModel() throws Exception {
        var registry = new io.micrometer.prometheus.PrometheusMeterRegistry(
                io.micrometer.prometheus.PrometheusConfig.DEFAULT);
        run(registry, "deepseek", "t-prom");
        run(registry, "ollama", "t-prom-unpriced");
        String scrape = registry.scrape();

        assertEquals(2_000_000, sample(scrape, "codetether_tokens_total{direction=\"input\",model=\"deepseek-chat\","
                + "provider=\"deepseek\",tenant=\"acme\"}"), 0.5);
        assertEquals(2_000_000, sample(scrape, "codetether_tokens_total{direction=\"input\",model=\"qwen2.5-coder:7b\","
                + "provider=\"ollama\",tenant=\"acme\"}"), 0.5);
        assertEquals(0.602, sample(scrape, "codetether_cost_usd_total{model=\"deepseek-chat\",provider=\"deepseek\","
                + "tenant=\"acme\"}"), 0.005);
        assertTrue(scrape.lines().noneMatch(l -> l.contains("cost_usd") && l.contains("ollama")),
                "no $0 sample for the unpriced model: " + scrape);
    }

    /** A sample's value; the Prometheus client may end the label set with a comma ({@code tenant="acme",}). */
    private static double sample(String scrape, String series) {
        return scrape.lines().map(l -> l.replace(",} ", "} ")).filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip().split(" ")[0]))
                .orElseThrow(() -> new AssertionError(series + " not in the scrape:\n" + scrape));
    }
}
