package run.codetether.swarm.infra.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.platform.providers.ProviderCatalog;
import run.codetether.platform.providers.ProviderOverride;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.swarm.infra.llm.OpenAiCompatChat;
import run.codetether.swarm.infra.llm.SwarmProviders;

/** The service's SecretSource through Quarkus Vault (KV v2, token auth) against the Vault double, as deployed. */
@QuarkusTestResource(value = VaultTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class SecretsVaultTest {

    @Inject
    SecretSource secrets;

    static void rotate(String newKey) throws Exception {
        String addr = System.getProperty("ct.swarm.it.vault.addr");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(addr + "/v1/secret/data/codetether/providers/local"))
                .header("X-Vault-Token", VaultTestResource.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"api_key\":\"" + newKey + "\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void theKeyComesFromVaultReachesTheProviderAndARotationIsPickedUp() throws Exception {
        rotate(VaultTestResource.KEY);
        assertEquals(Optional.of(VaultTestResource.KEY), secrets.read(SecretName.provider("local")).flatMap(Secret::apiKey));
        assertTrue(secrets.describe().startsWith("Vault http://127.0.0.1:"), secrets.describe());
        assertTrue(secrets.read(SecretName.provider("moonshotai")).isEmpty(), "not in Vault (404), not in the file");
        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            var providers = new SwarmProviders(ProviderCatalog.builtIn(), Map.of("local",
                    ProviderOverride.of(llm.openAiBaseUrl(), "m")), Optional.empty(), secrets);
            var chat = new OpenAiCompatChat(providers, Duration.ofSeconds(10));
            llm.enqueue(Reply.text("one"), Reply.text("two"));
            chat.complete("local", null, "sys", "hi", null);
            assertEquals("Bearer " + VaultTestResource.KEY, llm.requests().get(0).header("Authorization"));

            rotate("sk-rotated-key-4567");
            chat.complete("local", null, "sys", "hi", null);
            assertEquals("Bearer sk-rotated-key-4567", llm.requests().get(1).header("Authorization"),
                    "the rotated key is used (cache TTL 0 in this test)");
        }
    }
}
