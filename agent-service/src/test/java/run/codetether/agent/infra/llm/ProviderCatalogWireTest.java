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
import run.codetether.agent.domain.provider.ProviderKind;
import run.codetether.agent.infra.secrets.FileSecretSource;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/**
 * The providers added beside the original's seven, each chosen by a task's provider metadata, against the scripted
 * server speaking their wire (OpenAI chat completions; Azure's deployment URL, api-version and api-key header):
 * a streamed tool call, its result back to the model, a streamed answer.
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
        "ollama", "openai-compatible"})
    void openAiCompatibleProviderStreamsAToolCallAndAnswers(String provider) throws Exception {
        ProviderResolver r = resolver(provider, h.llm.openAiBaseUrl());
        ProviderKind kind = ProviderKind.of(provider).orElseThrow();
        if (kind.needsKey()) {
            h.llm.requireApiKey(keyOf(provider));
        }
        String model = kind.defaultModel().isPresent() ? null : "my-model";
        h.llm.enqueue(Reply.tools(Reply.call("c1", "read_file", Map.of("path", "a.txt"))).withUsage(100, 10),
                Reply.text("the file is missing").withUsage(200, 20));

        TaskEvent.StatusChanged last = run(r, "t-" + provider, provider, model);

        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        assertEquals("the file is missing", last.status().message().text());
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
}
