package run.codetether.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingSecretSourceTest {
    @TempDir
    Path dir;
    final Map<SecretName, Secret> vault = new HashMap<>();
    final AtomicInteger vaultReads = new AtomicInteger();
    boolean vaultDown;
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    final SecretSource vaultSource = new SecretSource() {
        @Override
        public Optional<Secret> read(SecretName name) {
            vaultReads.incrementAndGet();
            if (vaultDown) {
                throw new SecretException("cannot reach Vault");
            }
            return Optional.ofNullable(vault.get(name));
        }

        @Override
        public String describe() {
            return "vault";
        }
    };

    CachingSecretSource source() {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        SecretsFile file = new SecretsFile(dir.resolve("s.json"));
        file.put(SecretName.provider("openai"), Map.of("api_key", "sk-file"));
        file.put(SecretName.provider("local"), Map.of("api_key", "sk-local-file"));
        return new CachingSecretSource(List.of(vaultSource, new FileSecretSource(file.path())), Duration.ofMinutes(5),
                clock);
    }

    static Optional<String> key(SecretSource s, String provider) {
        return s.read(SecretName.provider(provider)).flatMap(Secret::apiKey);
    }

    @Test
    void vaultFirstThenTheFileCachedForTheTtlSoARotationIsUsedAfterIt() throws Exception {
        vault.put(SecretName.provider("openai"), new Secret(Map.of("api_key", "sk-vault-1")));
        CachingSecretSource s = source();
        assertEquals(Optional.of("sk-vault-1"), key(s, "openai"));
        vault.put(SecretName.provider("openai"), new Secret(Map.of("api_key", "sk-vault-2")));
        assertEquals(Optional.of("sk-vault-1"), key(s, "openai"), "cached within the TTL");
        assertEquals(1, vaultReads.get());
        now = now.plus(Duration.ofMinutes(5));
        assertEquals(Optional.of("sk-vault-2"), key(s, "openai"), "re-read after the TTL");
        assertEquals(Optional.of("sk-local-file"), key(s, "local"), "not in Vault: the file");
        assertEquals(Optional.empty(), key(s, "nowhere"));
        assertEquals("vault or file " + dir.resolve("s.json"), s.describe());
    }

    @Test
    void invalidateReadsAgainAndAFailingStoreIsNotCached() throws Exception {
        vault.put(SecretName.provider("openai"), new Secret(Map.of("api_key", "sk-1")));
        CachingSecretSource s = source();
        key(s, "openai");
        vault.put(SecretName.provider("openai"), new Secret(Map.of("api_key", "sk-2")));
        s.invalidate(SecretName.provider("openai"));
        assertEquals(Optional.of("sk-2"), key(s, "openai"), "a rejected key is re-read at once");
        vaultDown = true;
        assertThrows(SecretException.class, () -> key(s, "other"));
        vaultDown = false;
        assertEquals(Optional.empty(), key(s, "other"), "the failure was not remembered as 'no key'");
        Files.deleteIfExists(dir.resolve("s.json"));
    }
}
