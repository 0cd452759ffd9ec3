package run.codetether.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSecretsTest {
    @TempDir
    Path dir;

    Path secretsFile(String key) throws Exception {
        Path f = dir.resolve("secrets.json");
        new SecretsFile(f).put(SecretName.provider("openrouter"), Map.of("api_key", key));
        return f;
    }

    @Test
    void withoutAVaultAddressOnlyTheFileIsRead() throws Exception {
        Path f = secretsFile("sk-file");
        ServiceSecrets.Vault none = new ServiceSecrets.Vault(Optional.of(" "), "secret", "codetether/providers",
                path -> {
                    throw new AssertionError("Vault read without an address: " + path);
                });
        SecretSource s = ServiceSecrets.layered(none, Optional.of(f.toString()), Duration.ofMinutes(1),
                Clock.systemUTC());
        assertEquals(Optional.of("sk-file"), s.read(SecretName.provider("openrouter")).flatMap(Secret::apiKey));
        assertEquals("file " + f, s.describe());
    }

    @Test
    void vaultIsAskedBeforeTheFile() throws Exception {
        Path f = secretsFile("sk-file");
        ServiceSecrets.Vault vault = new ServiceSecrets.Vault(Optional.of("http://127.0.0.1:1"), "kv",
                "codetether/providers", path -> path.equals("codetether/providers/openrouter")
                        ? Map.of("api_key", "sk-vault") : null);
        SecretSource s = ServiceSecrets.layered(vault, Optional.of(f.toString()), Duration.ofMinutes(1),
                Clock.systemUTC());
        assertEquals(Optional.of("sk-vault"), s.read(SecretName.provider("openrouter")).flatMap(Secret::apiKey));
        assertEquals("Vault http://127.0.0.1:1 mount kv at codetether/providers/<provider> or file " + f, s.describe());
    }
}
