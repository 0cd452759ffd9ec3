package run.codetether.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How Vault's answers map to the port (through Quarkus Vault against the Vault double: swarm's SecretsVaultTest). */
class KvSecretSourceTest {
    final Map<String, Map<String, String>> kv = new HashMap<>();

    KvSecretSource source(KvSecretSource.KvReader reader) {
        return new KvSecretSource(reader, new KvLayout("/codetether/providers/"), "http://127.0.0.1:1 mount secret");
    }

    @Test
    void readsTheLayoutsPathsAndA404IsNoSecret() {
        kv.put("codetether/providers/openrouter", Map.of("api_key", "sk-or"));
        kv.put("codetether/git/github.com", Map.of("token", "ghp_x"));
        KvSecretSource s = source(path -> {
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
    void aServiceMayKeepANamespaceInAFolderOfItsOwn() {
        KvLayout layout = new KvLayout("codetether/providers").withPath(SecretName.GIT, "/teams/a/git/");
        assertEquals("teams/a/git/github.com", layout.path(SecretName.git("github.com")));
        assertEquals("codetether/providers/x", layout.path(SecretName.provider("x")));
    }

    @Test
    void aRefusingVaultFailsLoudlyWithThePathAndWithoutTheUnderlyingMessage() {
        KvSecretSource broken = source(path -> {
            throw new IllegalStateException("Vault responded with 403 for token sk-secret-token");
        });
        var e = assertThrows(SecretException.class, () -> broken.read(SecretName.provider("openai")));
        assertTrue(e.getMessage().contains("codetether/providers/openai") && e.getMessage().contains("VAULT_TOKEN"),
                e.getMessage());
        assertFalse(e.getMessage().contains("sk-secret-token"), "the underlying message is not repeated");
    }
}
