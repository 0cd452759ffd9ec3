package run.codetether.swarm.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.platform.providers.ProviderCatalog;
import run.codetether.platform.providers.ProviderOverride;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretsFile;
import run.codetether.swarm.domain.ChatPort.ChatException;

/** The swarm's own calls resolve providers through the platform catalog, keys from the platform's secrets file. */
class SwarmProvidersTest {
    @TempDir
    Path dir;

    SwarmProviders providers(Map<String, ProviderOverride> overrides, Optional<String> defaultProvider,
            Map<String, String> keys) {
        SecretsFile file = new SecretsFile(dir.resolve("secrets.json"));
        keys.forEach((p, k) -> file.put(SecretName.provider(p), Map.of("api_key", k)));
        return new SwarmProviders(ProviderCatalog.builtIn(), overrides, defaultProvider,
                new FileSecretSource(file.path()));
    }

    @Test
    void aHostedProviderUsesTheCatalogsEndpointAndTheStoredKey() {
        var p = providers(Map.of(), Optional.empty(), Map.of("openrouter", "sk-or-1"));
        var e = p.resolve("openrouter", null);
        assertEquals("https://openrouter.ai/api/v1", e.baseUrl());
        assertEquals("moonshotai/kimi-k2", e.model());
        assertEquals("sk-or-1", e.apiKey());
        assertFalse(e.toString().contains("sk-or-1"), "an endpoint never prints its key");
        assertEquals("x/y", p.resolve("openrouter", "x/y").model());
    }

    @Test
    void theDefaultIsTheCatalogsRuleAsInTheAgent() {
        var local = Map.of("local", ProviderOverride.of("http://127.0.0.1:1/v1", "qwen"));
        var e = providers(local, Optional.empty(), Map.of("moonshotai", "sk-m")).resolve(null, null);
        assertEquals("local", e.name(), "local when configured");
        assertNull(e.apiKey(), "a local server needs no key");
        assertEquals("moonshotai", providers(Map.of(), Optional.empty(), Map.of("moonshotai", "sk-m"))
                .resolve("", null).name(), "else the first provider with a key");
        assertEquals("stepfun", providers(Map.of(), Optional.of("stepfun"), Map.of("stepfun", "sk-s"))
                .resolve(null, null).name(), "an explicit default wins");
    }

    @Test
    void aSwarmOnAProviderThisServiceCannotCallHasItsOwnCallsMadeByTheDefault() {
        var local = Map.of("local", ProviderOverride.of("http://127.0.0.1:1/v1", "qwen"));
        var e = providers(local, Optional.empty(), Map.of("anthropic", "sk-ant")).resolve("anthropic",
                "claude-sonnet-4");
        assertEquals("local", e.name(), "another protocol");
        assertEquals("qwen", e.model(), "with the default's model, not the sub-agents'");
        assertEquals("local", providers(local, Optional.empty(), Map.of()).resolve("moonshotai", "kimi").name(),
                "no key for it here");
    }

    @Test
    void whatCannotBeCalledFailsWithWhatToSet() {
        var noKey = assertThrows(ChatException.class, () -> providers(Map.of(), Optional.of("moonshotai"), Map.of())
                .resolve("moonshotai", null));
        assertTrue(noKey.getMessage().contains("codetether auth add moonshotai")
                && noKey.getMessage().contains("secrets.json"), noKey.getMessage());
        var nothing = assertThrows(ChatException.class, () -> providers(Map.of(), Optional.empty(), Map.of())
                .resolve(null, null));
        assertTrue(nothing.getMessage().contains("CODETETHER_LOCAL_BASE_URL"), nothing.getMessage());
        var wrongDefault = assertThrows(ChatException.class, () -> providers(Map.of(), Optional.of("google"),
                Map.of("google", "k")).resolve("bedrock", null));
        assertTrue(wrongDefault.getMessage().contains("CODETETHER_SWARM_DEFAULT_PROVIDER"), wrongDefault.getMessage());
        var unknown = assertThrows(ChatException.class, () -> providers(Map.of(), Optional.empty(), Map.of())
                .resolve("openai", null));
        assertTrue(unknown.getMessage().contains("known providers"), unknown.getMessage());
    }
}
