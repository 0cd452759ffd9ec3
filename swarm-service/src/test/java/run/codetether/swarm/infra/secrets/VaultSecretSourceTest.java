package run.codetether.swarm.infra.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.codetether.platform.secrets.KvLayout;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretException;
import run.codetether.platform.secrets.SecretName;

/** How Vault's answers map to the platform port (the Quarkus Vault path itself: {@link SecretsVaultTest}). */
class VaultSecretSourceTest {
    final Map<String, Map<String, String>> kv = new HashMap<>();

    VaultSecretSource source(VaultSecretSource.KvReader reader) {
        return new VaultSecretSource(reader, new KvLayout("/codetether/providers/"), "http://127.0.0.1:1 mount secret");
    }

    @Test
    void readsTheLayoutsPathsAndA404IsNoSecret() {
        kv.put("codetether/providers/openrouter", Map.of("api_key", "sk-or"));
        kv.put("codetether/git/github.com", Map.of("token", "ghp_x"));
        VaultSecretSource s = source(path -> {
            if (!kv.containsKey(path)) {
                throw new IllegalStateException("Vault responded with 404");
            }
            return kv.get(path);
        });
        assertEquals(Optional.of("sk-or"), s.read(SecretName.provider("openrouter")).flatMap(Secret::apiKey));
        assertEquals(Optional.of("ghp_x"), s.read(SecretName.git("github.com")).flatMap(x -> x.field("token")));
        assertTrue(s.read(SecretName.provider("anthropic")).isEmpty());
    }

    @Test
    void aRefusingVaultFailsLoudlyWithThePathAndWithoutTheUnderlyingMessage() {
        VaultSecretSource broken = source(path -> {
            throw new IllegalStateException("Vault responded with 403 for token sk-secret-token");
        });
        var e = assertThrows(SecretException.class, () -> broken.read(SecretName.provider("openai")));
        assertTrue(e.getMessage().contains("codetether/providers/openai") && e.getMessage().contains("VAULT_TOKEN"),
                e.getMessage());
        assertFalse(e.getMessage().contains("sk-secret-token"), "the underlying message is not repeated");
    }
}
