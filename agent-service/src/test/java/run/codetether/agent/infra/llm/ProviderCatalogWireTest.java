package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.platform.providers.ProviderCatalog;
import run.codetether.platform.providers.ProviderSpec;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/**
 * Every OpenAI-wire provider (those added beside the original's seven, the original's four OpenAI-wire ones and
 * {@code local}), each chosen by a task's provider metadata, against the scripted server speaking their wire (OpenAI
 * chat completions; Azure's deployment URL, api-version and api-key header): a streamed tool call, its result back
 * to the model, a streamed answer. Anthropic, Gemini and Bedrock: ProviderWireE2ETest.
 */
class ProviderCatalogWireTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    static String keyOf(String provider) {
        return "sk-" + provider + "-test-0123456789abcdef";
    }

    private ProviderResolver resolver(String provider, String url) throws Exception {
        Map<String, ProviderSettings> s = new HashMap<>();
        s.put(provider, ProviderSettings.defaults().withBaseUrl(url).withApiVersion("2025-01-01-preview"));
        Map<String, Map<String, String>> keys = new HashMap<>(Providers.allKeys());
        keys.put(provider, Map.of("api_key", keyOf(provider)));
        Providers.write(h.secrets, keys);
        return new LangChain4jProviders(s, Optional.empty(), new FileSecretSource(h.secrets), 0, Duration.ofSeconds(1));
    }

    private TaskEvent.StatusChanged run(ProviderResolver r, String taskId, String provider, String model) {
        var cmd = new TaskCommand.StartTask(taskId, "c-" + taskId, null,
                Commands.start(taskId, "c", provider, "Read a.txt and answer").message(), provider, model, null, null,
                null, null, Map.of(), null);
        h.run(h.loop(r), cmd);
        return h.last(taskId);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "deepseek", "groq", "mistral", "xai", "together", "fireworks", "cerebras", "zai",
        "ollama", "openai-compatible",
        // the original's OpenAI-wire providers and local, streamed as well (ProviderWireE2ETest runs local unstreamed)
        "moonshotai", "github-copilot", "openrouter", "stepfun", "local"})
    void openAiCompatibleProviderStreamsAToolCallAndAnswers(String provider) throws Exception {
        ProviderResolver r = resolver(provider, h.llm.openAiBaseUrl());
        ProviderSpec kind = ProviderCatalog.builtIn().require(provider);
        if (kind.keyRequired()) {
            h.llm.requireApiKey(keyOf(provider));
        }
        String model = kind.defaultModel().isPresent() ? null : "my-model";
        h.llm.enqueue(Reply.tools(Reply.call("c1", "read_file", Map.of("path", "a.txt"))).withUsage(100, 10),
                Reply.text("the file is missing").withUsage(200, 20));

        TaskEvent.StatusChanged last = run(r, "t-" + provider, provider, model);

        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        assertEquals("the file is missing", h.finalText("t-" + provider));
        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(2, reqs.size());
        assertTrue(reqs.get(0).streaming(), "streaming API used");
        assertTrue(reqs.get(0).path().endsWith("/chat/completions"), reqs.get(0).path());
        assertEquals(model != null ? model : kind.defaultModel().get(), reqs.get(0).body().get("model").asText());
        assertTrue(reqs.get(0).toolNames().contains("read_file"), () -> "offered: " + reqs.get(0).toolNames());
        assertEquals("c1", reqs.get(1).toolResults().get(0).callId(), "tool result went back under the call id");
        assertEquals(300, last.progress().usage().tokensIn());
    }

    @Test
    void githubCopilotSendsTheOriginalsIntentInitiatorAndAgentHeaders() throws Exception {
        ProviderResolver r = resolver("github-copilot", h.llm.openAiBaseUrl());
        h.llm.requireApiKey(keyOf("github-copilot"));
        h.llm.enqueue(Reply.tools(Reply.call("c1", "read_file", Map.of("path", "a.txt"))),
                Reply.text("the file is missing"));

        TaskEvent.StatusChanged last = run(r, "t-copilot", "github-copilot", null);

        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(2, reqs.size());
        for (RecordedRequest q : reqs) {
            assertEquals("Bearer " + keyOf("github-copilot"), q.header("Authorization"));
            assertEquals("conversation-edits", q.header("Openai-Intent"));
            assertTrue(q.header("User-Agent").startsWith("codetether-agent/"), q.header("User-Agent"));
            assertNull(q.header("Copilot-Vision-Request"), "no image in these requests");
        }
        assertEquals("user", reqs.get(0).header("X-Initiator"), "the user's prompt starts the turn");
        assertEquals("agent", reqs.get(1).header("X-Initiator"), "the model continuing after a tool result");
    }

    @Test
    void onlyCopilotGetsCopilotsHeaders() throws Exception {
        ProviderResolver r = resolver("openai", h.llm.openAiBaseUrl());
        h.llm.enqueue(Reply.text("hi"));
        assertEquals(TaskState.COMPLETED, run(r, "t-plain", "openai", null).status().state());
        assertNull(h.llm.requests().get(0).header("X-Initiator"));
        assertNull(h.llm.requests().get(0).header("Openai-Intent"));
    }

    @Test
    void azureOpenAiPostsToTheDeploymentWithApiVersionAndApiKeyHeader() throws Exception {
        ProviderResolver r = resolver("azure-openai", h.llm.baseUrl() + "/");
        h.llm.enqueue(Reply.tools(Reply.call("c1", "read_file", Map.of("path", "a.txt"))).withUsage(100, 10),
                Reply.text("the file is missing").withUsage(200, 20));

        TaskEvent.StatusChanged last = run(r, "t-azure", "azure-openai", "my-gpt4o-deployment");

        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(2, reqs.size());
        for (RecordedRequest q : reqs) {
            assertEquals("/openai/deployments/my-gpt4o-deployment/chat/completions?api-version=2025-01-01-preview",
                    q.path());
            assertEquals(keyOf("azure-openai"), q.header("api-key"));
            assertNull(q.header("Authorization"), "no Bearer header: Azure reads it as an Entra token");
        }
        assertTrue(reqs.get(0).streaming());
        assertEquals("c1", reqs.get(1).toolResults().get(0).callId());
    }

    @Test
    void aHostedProviderWithoutAKeyFailsTheTaskWithAClearReason() throws Exception {
        Providers.write(h.secrets, Providers.allKeys());
        ProviderResolver r = new LangChain4jProviders(Map.of("groq", ProviderSettings.defaults()
                .withBaseUrl(h.llm.openAiBaseUrl())), Optional.empty(), new FileSecretSource(h.secrets), 0,
                Duration.ofSeconds(1));

        TaskEvent.StatusChanged last = run(r, "t-nokey", "groq", null);

        assertEquals(TaskState.FAILED, last.status().state());
        assertTrue(last.status().message().text().contains("no API key for provider 'groq'"),
                () -> last.status().message().text());
        assertEquals(0, h.llm.requests().size(), "nothing was sent without a key");
    }

    @Test
    void theGenericProviderWithoutAUrlFailsWithAClearReason() throws Exception {
        ProviderResolver r = new LangChain4jProviders(Map.of(), Optional.empty(), new FileSecretSource(h.secrets), 0,
                Duration.ofSeconds(1));

        TaskEvent.StatusChanged last = run(r, "t-nourl", "openai-compatible", "m");

        assertEquals(TaskState.FAILED, last.status().state());
        assertTrue(last.status().message().text().contains("codetether.providers.openai-compatible.base-url"),
                () -> last.status().message().text());
    }

    @Test
    void theCostOfAScriptedRunIsItsUsageTimesTheCatalogPriceToTheCent() throws Exception {
        ProviderResolver r = resolver("openai", h.llm.openAiBaseUrl());
        h.llm.enqueue(Reply.tools(Reply.call("c1", "read_file", Map.of("path", "a.txt"))).withUsage(1_000_000, 200_000),
                Reply.text("done").withUsage(500_000, 100_000));

        TaskEvent.StatusChanged last = run(r, "t-cost", "openai", null);

        var price = ModelCatalog.builtIn().find("openai", "gpt-5").orElseThrow().price();
        double expected = (1_500_000 * price.input() + 300_000 * price.output()) / 1_000_000d;
        var usage = last.progress().usage();
        assertEquals(1_500_000, usage.tokensIn());
        assertEquals(300_000, usage.tokensOut());
        assertTrue(usage.priced());
        assertEquals(Math.round(expected * 100), Math.round(usage.costUsd() * 100), () -> "cost " + usage.costUsd());
        assertEquals(4.875, usage.costUsd(), 0.005, "gpt-5 at $1.25 in / $10 out per million");
    }

    @Test
    void aModelWithoutAPriceIsUnpricedNeverFree() throws Exception {
        ProviderResolver r = resolver("ollama", h.llm.openAiBaseUrl());
        h.llm.enqueue(Reply.text("hi").withUsage(1000, 10));

        var usage = run(r, "t-unpriced", "ollama", null).progress().usage();

        assertEquals(1000, usage.tokensIn());
        assertTrue(!usage.priced() && usage.costUsd() == null, () -> "usage " + usage);
    }

    @Test
    void aModelMissingFromTheCatalogIsUnpricedNeverFree() throws Exception {
        ProviderResolver r = resolver("openai", h.llm.openAiBaseUrl());
        h.llm.requireApiKey(keyOf("openai"));
        h.llm.enqueue(Reply.text("hi").withUsage(1000, 10));
        assertTrue(ModelCatalog.builtIn().find("openai", "gpt-not-in-the-catalog").isEmpty());

        var last = run(r, "t-missing", "openai", "gpt-not-in-the-catalog");

        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        assertEquals("gpt-not-in-the-catalog", h.llm.requests().get(0).body().get("model").asText());
        var usage = last.progress().usage();
        assertEquals(1000, usage.tokensIn());
        assertTrue(!usage.priced() && usage.costUsd() == null, () -> "usage " + usage);
    }

    @Test
    void aCatalogFileReplacesTheBuiltInPricesWithoutARebuild() throws Exception {
        java.nio.file.Path file = h.dir.resolve("catalog.json");
        java.nio.file.Files.writeString(file, """
                {"catalog_version": "test-1", "models": [{"provider": "deepseek", "id": "deepseek-chat",
                 "context_window": 64000, "max_output": 8192, "tool_calls": true,
                 "price": {"input": 2.0, "output": 4.0, "cache_read": null, "cache_write": null}, "default": true}]}
                """);
        ModelCatalog catalog = ModelCatalog.load(Optional.of(file.toString()));
        Providers.write(h.secrets, Map.of("deepseek", Map.of("api_key", keyOf("deepseek"))));
        ProviderResolver r = new LangChain4jProviders(Map.of("deepseek", ProviderSettings.defaults()
                .withBaseUrl(h.llm.openAiBaseUrl())), Optional.empty(), new FileSecretSource(h.secrets), 0,
                Duration.ofSeconds(1), catalog);
        h.llm.enqueue(Reply.text("hi").withUsage(1_000_000, 1_000_000));

        var usage = run(r, "t-file", "deepseek", null).progress().usage();

        assertEquals("test-1", catalog.version());
        assertEquals(6.0, usage.costUsd(), 0.005, "the file's $2 + $4, not the built-in price");
    }

    @Test
    void everyProvidersDefaultModelIsInTheCatalog() {
        for (ProviderSpec k : ProviderCatalog.builtIn().all()) {
            k.defaultModel().ifPresent(m -> {
                var entry = ModelCatalog.builtIn().find(k.name(), m);
                assertTrue(entry.isPresent(), k.name() + "/" + m + " missing from catalog.json");
                assertTrue(entry.get().isDefault(), k.name() + "/" + m + " not marked default");
                assertTrue(entry.get().contextWindow() > 0 && entry.get().maxOutput() > 0, k.name());
            });
        }
        assertEquals(ProviderCatalog.builtIn().names().size() - 2, ProviderCatalog.builtIn().all().stream()
                .filter(k -> ModelCatalog.builtIn().defaultOf(k.name()).isPresent()).count(),
                "all but local and openai-compatible (deployment-named models) have a default in the catalog");
    }
}
