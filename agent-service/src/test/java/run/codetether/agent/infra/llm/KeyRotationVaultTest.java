package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.fixtures.vault.VaultTestServer;
import run.codetether.platform.secrets.CachingSecretSource;
import run.codetether.platform.secrets.KvLayout;
import run.codetether.platform.secrets.KvSecretSource;

/**
 * A key rotated in Vault is used by the next model call of a running task, without a restart and without a rejected
 * call first: the loopback Vault (KV v2 over HTTP) holds key A, then B; the scripted provider records each call's
 * Authorization header. The secret cache's TTL (here 500 ms) bounds how long the old key is reused.
 */
class KeyRotationVaultTest {
    static final String TOKEN = "rotation-root";
    static final String PATH = "codetether/providers/openai";

    final VaultTestServer vault = VaultTestServer.start(TOKEN);
    final ScriptedLlmServer llm = ScriptedLlmServer.start();
    final HttpClient http = HttpClient.newHttpClient();
    /** The secret cache's TTL: how long a rotated key may still be the old one. */
    static final Duration TTL = Duration.ofMillis(500);

    @AfterEach
    void close() {
        llm.close();
        vault.close();
    }

    /** KV v2 read as the services' Vault client does it: 404 absent, the version's data otherwise. */
    private Map<String, String> read(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(vault.address() + "/v1/secret/data/"
                    + path)).header("X-Vault-Token", TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Vault answered " + r.statusCode());
            }
            JsonNode data = new ObjectMapper().readTree(r.body()).path("data").path("data");
            Map<String, String> out = new LinkedHashMap<>();
            data.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ChatProvider openAi() throws ProviderException {
        return openAi(false, TTL);
    }

    /** @param streaming whether calls stream (SSE) @param ttl the secret cache's TTL */
    private ChatProvider openAi(boolean streaming, Duration ttl) throws ProviderException {
        var secrets = new CachingSecretSource(List.of(new KvSecretSource(this::read,
                new KvLayout(KvLayout.DEFAULT_PROVIDERS_PATH), vault.address())), ttl, Clock.systemUTC());
        var providers = new LangChain4jProviders(Map.of("openai", ProviderSettings.defaults()
                .withBaseUrl(llm.openAiBaseUrl()).withStreaming(streaming)), Optional.empty(), secrets, 0,
                Duration.ofSeconds(1));
        return providers.resolve("openai", null).chat(); // one resolution, as one running task holds it
    }

    private String call(ChatProvider p) throws Exception {
        return p.chat(new ModelRequest("gpt-5", "", List.of(new ChatMessage.User("hi")), List.of()), s -> {}).text();
    }

    @Test
    void theNextCallAfterARotationUsesTheNewKey() throws Exception {
        vault.put("secret", PATH, Map.of("api_key", "sk-key-A-0123456789"));
        ChatProvider chat = openAi();
        llm.enqueue(Reply.text("one"), Reply.text("two"));

        assertEquals("one", call(chat));
        vault.put("secret", PATH, Map.of("api_key", "sk-key-B-9876543210"));
        Thread.sleep(TTL.toMillis() + 200);
        assertEquals("two", call(chat));

        List<RecordedRequest> reqs = llm.requests();
        assertEquals(2, reqs.size(), "no call was rejected and repeated");
        assertEquals("Bearer sk-key-A-0123456789", reqs.get(0).header("Authorization"));
        assertEquals("Bearer sk-key-B-9876543210", reqs.get(1).header("Authorization"),
                "after the cache TTL the next call reads the rotated key: no restart, the same task's provider");
    }

    @Test
    void aRotationDuringAnOpenStreamReachesTheNextStream() throws Exception {
        vault.put("secret", PATH, Map.of("api_key", "sk-key-A-0123456789"));
        ChatProvider chat = openAi(true, TTL);
        llm.enqueue(Reply.text("one").withDelay(Duration.ofMillis(TTL.toMillis() + 700)), Reply.text("two"));

        var rotated = new java.util.concurrent.CountDownLatch(1);
        Thread rotate = Thread.ofVirtual().start(() -> {
            try {
                while (llm.requests().isEmpty()) {
                    Thread.sleep(10);
                }
                vault.put("secret", PATH, Map.of("api_key", "sk-key-B-9876543210")); // while the stream is open
                rotated.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        StringBuilder streamed = new StringBuilder();
        String first = chat.chat(new ModelRequest("gpt-5", "", List.of(new ChatMessage.User("hi")), List.of()),
                streamed::append).text();
        rotate.join();
        assertEquals(0, rotated.getCount(), "the key was rotated while the first stream was open");
        assertEquals("one", first, "the open stream finishes on the key it opened with");
        assertEquals("one", streamed.toString(), "streamed, not a plain call");
        assertEquals("two", call(chat));

        List<RecordedRequest> reqs = llm.requests();
        assertEquals(2, reqs.size());
        assertTrue(reqs.get(0).streaming() && reqs.get(1).streaming());
        assertEquals("Bearer sk-key-A-0123456789", reqs.get(0).header("Authorization"));
        assertEquals("Bearer sk-key-B-9876543210", reqs.get(1).header("Authorization"),
                "the stream after the rotation (past the cache TTL) opens with the new key");
    }

    @Test
    void aStreamRefusedWithTheOldKeyReReadsTheKeyAtOnceAndOpensAgain() throws Exception {
        vault.put("secret", PATH, Map.of("api_key", "sk-key-A-0123456789"));
        ChatProvider chat = openAi(true, Duration.ofMinutes(10)); // the cache alone would keep key A for 10 minutes
        llm.enqueue(Reply.text("one"), Reply.text("two"));
        assertEquals("one", call(chat));

        vault.put("secret", PATH, Map.of("api_key", "sk-key-B-9876543210"));
        llm.requireApiKey("sk-key-B-9876543210"); // the old key is revoked with the rotation
        assertEquals("two", call(chat));

        List<RecordedRequest> reqs = llm.requests();
        assertEquals(3, reqs.size(), "one refused stream, then the same call again with the new key");
        assertEquals("Bearer sk-key-A-0123456789", reqs.get(1).header("Authorization"));
        assertEquals("Bearer sk-key-B-9876543210", reqs.get(2).header("Authorization"));
        assertTrue(reqs.get(2).streaming(), "the call streams again, on a new connection with the new key");
    }

    @Test
    void aKeyRemovedFromVaultFailsTheNextCallNamingWhereItWasLookedFor() throws Exception {
        vault.put("secret", PATH, Map.of("api_key", "sk-key-A-0123456789"));
        ChatProvider chat = openAi();
        llm.enqueue(Reply.text("one"));
        assertEquals("one", call(chat));

        vault.put("secret", PATH, Map.of("api_key", ""));
        Thread.sleep(TTL.toMillis() + 200);
        ProviderException e = assertThrows(ProviderException.class, () -> call(chat));
        assertEquals(ProviderException.Kind.NOT_CONFIGURED, e.kind());
        assertTrue(e.getMessage().contains("no API key for provider 'openai'") && e.getMessage().contains(
                vault.address()), e.getMessage());
        assertEquals(1, llm.requests().size(), "no call without a key");
    }
}
