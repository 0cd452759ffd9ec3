package run.codetether.swarm.infra.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderKeysTest {
    @TempDir
    Path dir;
    final Map<String, Map<String, String>> kv = new HashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    final ProviderKeys.KvReader vault = path -> {
        reads.incrementAndGet();
        if (!kv.containsKey(path)) {
            throw new IllegalStateException("Vault responded with 404");
        }
        return kv.get(path);
    };

    ProviderKeys keys(ProviderKeys.KvReader reader, Path file) {
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now;
            }
        };
        return new ProviderKeys(reader, "http://127.0.0.1:1 mount secret", "/codetether/providers/", file,
                Duration.ofMinutes(5), clock);
    }

    Path secretsFile(String json) throws Exception {
        Path f = dir.resolve("secrets.json");
        Files.writeString(f, json);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void vaultFirstThenTheFileCachedForTheTtlSoARotatedKeyIsUsedAfterIt() throws Exception {
        kv.put("codetether/providers/openai", Map.of("api_key", "sk-vault-1"));
        ProviderKeys k = keys(vault, secretsFile("{\"providers\":{\"openai\":{\"api_key\":\"sk-file\"},"
                + "\"local\":{\"api_key\":\"sk-local-file\"}}}"));
        assertEquals("sk-vault-1", k.apply("openai"));
        kv.put("codetether/providers/openai", Map.of("api_key", "sk-vault-2"));
        assertEquals("sk-vault-1", k.apply("openai"), "cached within the TTL");
        assertEquals(1, reads.get());
        now = now.plus(Duration.ofMinutes(5));
        assertEquals("sk-vault-2", k.apply("openai"), "re-read after the TTL: rotation");
        assertEquals("sk-local-file", k.apply("local"), "not in Vault (404): the file");
        assertNull(k.apply("nowhere"));
    }

    @Test
    void anUnreadableVaultOrAnOpenFileFailsLoudlyWithoutTheKey() throws Exception {
        ProviderKeys broken = keys(path -> {
            throw new IllegalStateException("Vault responded with 403 for token sk-secret-token");
        }, null);
        var e = assertThrows(IllegalStateException.class, () -> broken.apply("openai"));
        assertTrue(e.getMessage().contains("codetether/providers/openai") && e.getMessage().contains("VAULT_TOKEN"),
                e.getMessage());
        assertFalse(e.getMessage().contains("sk-secret-token"), "the underlying message is not repeated");

        Path open = secretsFile("{\"providers\":{\"openai\":{\"api_key\":\"sk-file\"}}}");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        var f = assertThrows(IllegalStateException.class, () -> keys(null, open).apply("openai"));
        assertTrue(f.getMessage().contains("chmod 600"), f.getMessage());
    }
}
