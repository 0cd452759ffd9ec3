package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.openai.internal.DefaultOpenAiClient;
import dev.langchain4j.model.openai.internal.OpenAiClient;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.chat.Function;
import dev.langchain4j.model.openai.internal.chat.Tool;
import dev.langchain4j.model.openai.internal.shared.StreamOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.platform.secrets.FileSecretSource;

class OneBodyOpenAiClientTest {
    private ScriptedLlmServer llm;

    @BeforeEach
    void start() {
        assertTrue(OpenAiWireJson.compact(), "the OpenAI client's mapper was not found");
        llm = ScriptedLlmServer.start();
        llm.respondWith(r -> Reply.text("ok"));
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    private OpenAiClient client(DefaultOpenAiClient.Builder b) {
        return b.httpClientBuilder(new HeaderAwareHttpClientBuilder()).baseUrl(llm.openAiBaseUrl()).apiKey("sk-test")
                .organizationId("org-1").customHeaders(Map.of("X-Extra", "1"))
                .customQueryParams(Map.of("api-version", "2024-10-21")).build();
    }

    private static ChatCompletionRequest request(boolean streaming) {
        ChatCompletionRequest.Builder b = ChatCompletionRequest.builder().model("m").addSystemMessage("be brief")
                .addUserMessage("say ok").tools(List.of(Tool.from(Function.builder().name("read_file")
                        .description("reads a file").parameters(Map.of("type", "object")).build())));
        return streaming ? b.stream(true).streamOptions(StreamOptions.builder().includeUsage(true).build()).build()
                : b.build();
    }

    /** One call as the model of that kind makes it: streamed (the streaming model) or plain. */
    private static String call(OpenAiClient client, boolean streaming) {
        if (!streaming) {
            return client.chatCompletion(request(false)).execute().content();
        }
        StringBuilder text = new StringBuilder();
        AtomicReference<Throwable> error = new AtomicReference<>();
        client.chatCompletion(request(true)).onPartialResponse((ChatCompletionResponse r) -> {
            if (!r.choices().isEmpty() && r.choices().get(0).delta().content() != null) {
                text.append(r.choices().get(0).delta().content());
            }
        }).onComplete(() -> {}).onError(error::set).execute(); // our transport streams on the calling thread
        assertNull(error.get(), () -> "stream failed: " + error.get());
        return text.toString();
    }

    @Test
    void eachChatCallEncodesOnlyTheBodyItSendsAndSendsTheStockClientsBytesAndHeaders() {
        for (boolean streaming : List.of(true, false)) {
            long skipped0 = OneBodyOpenAiClient.skipped();
            assertEquals("ok", call(client(DefaultOpenAiClient.builder()), streaming));
            assertEquals(skipped0, OneBodyOpenAiClient.skipped(), "the stock client writes both bodies");
            assertEquals("ok", call(client(new OneBodyOpenAiClient.Builder()), streaming));
            assertEquals(skipped0 + 1, OneBodyOpenAiClient.skipped(),
                    "one of the two bodies written per call, streaming=" + streaming);

            List<RecordedRequest> sent = llm.requests();
            RecordedRequest stock = sent.get(sent.size() - 2);
            RecordedRequest ours = sent.get(sent.size() - 1);
            assertEquals(streaming, ours.streaming());
            assertEquals(stock.rawBody(), ours.rawBody(), "the body the provider sees, byte for byte");
            assertEquals(stock.path(), ours.path());
            assertEquals(stock.method(), ours.method());
            assertEquals(stock.headers(), ours.headers());
            assertEquals("Bearer sk-test", ours.header("Authorization"));
            assertEquals("org-1", ours.header("OpenAI-Organization"));
            assertEquals("1", ours.header("X-Extra"));
        }
        for (RecordedRequest r : llm.requests()) {
            assertFalse(r.rawBody().contains("unsent"), r.rawBody());
        }
    }

    @Test
    void theAgentsOpenAiWireModelsUseItStreamedAndPlain(@TempDir Path dir) throws Exception {
        for (boolean streaming : List.of(true, false)) {
            Path secrets = Files.createTempFile(dir, "secrets", ".json"); // empty, owner-only
            var providers = new LangChain4jProviders(Map.of("local", ProviderSettings.defaults()
                    .withBaseUrl(llm.openAiBaseUrl()).withModel("m").withStreaming(streaming)), Optional.empty(),
                    new FileSecretSource(secrets), 0, Duration.ofSeconds(1));
            long skipped0 = OneBodyOpenAiClient.skipped();
            List<String> partial = new ArrayList<>();
            ModelReply reply = providers.resolve("local", "m").chat().chat(new ModelRequest("m", "be brief",
                    List.of(new ChatMessage.User("say ok")),
                    List.of(ToolSpec.readOnly("read_file", "reads a file", "{\"type\":\"object\"}"))), partial::add);
            assertEquals("ok", reply.text());
            assertEquals(streaming ? List.of("ok") : List.of(), partial);
            assertEquals(skipped0 + 1, OneBodyOpenAiClient.skipped(), "streaming=" + streaming);
            RecordedRequest last = llm.requests().getLast();
            assertEquals(streaming, last.streaming());
            assertEquals(List.of("read_file"), last.toolNames());
        }
    }
}
