package run.codetether.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.platform.json.Json;

class SecretsFileTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writesA0600FileInA0700FolderAndReadsItBack() throws Exception {
        SecretsFile file = new SecretsFile(dir.resolve("cfg/codetether/secrets.json"));
        file.put(SecretName.provider("anthropic"), Map.of("api_key", "sk-ant-1"));
        file.put(SecretName.git("github.com"), Map.of("username", "u", "token", "ghp_x"));
        assertEquals("rw-------", mode(file.path()));
        assertEquals("rwx------", mode(file.path().getParent()));
        assertEquals(Optional.of("sk-ant-1"), file.read(SecretName.provider("anthropic")).flatMap(Secret::apiKey));
        assertEquals(Optional.of("ghp_x"), file.read(SecretName.git("github.com")).flatMap(s -> s.field("token")));
        assertEquals("sk-ant-1", Json.mapper().readTree(file.path().toFile()).at("/providers/anthropic/api_key").asText(),
                "the layout the original and Vault use");
        assertEquals(List.of("anthropic"), file.keys(SecretName.PROVIDERS));
        assertTrue(file.read(SecretName.provider("openrouter")).isEmpty());
    }

    @Test
    void replacingAndRemovingKeepsTheModeAndTheOtherSecrets() throws Exception {
        SecretsFile file = new SecretsFile(dir.resolve("secrets.json"));
        file.put(SecretName.provider("a"), Map.of("api_key", "1"));
        file.put(SecretName.provider("b"), Map.of("api_key", "2"));
        file.put(SecretName.provider("a"), Map.of("api_key", "3"));
        assertEquals(Optional.of("3"), file.read(SecretName.provider("a")).flatMap(Secret::apiKey));
        assertTrue(file.remove(SecretName.provider("a")));
        assertFalse(file.remove(SecretName.provider("a")));
        assertEquals(List.of("b"), file.keys(SecretName.PROVIDERS));
        assertEquals("rw-------", mode(file.path()));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file.path()), s.toList(), "no temp file left behind");
        }
    }

    @Test
    void aFileOthersCanReadIsRefusedWithTheFix() throws Exception {
        SecretsFile file = new SecretsFile(dir.resolve("secrets.json"));
        file.put(SecretName.provider("a"), Map.of("api_key", "sk-1"));
        Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(SecretException.class, () -> file.read(SecretName.provider("a")));
        assertTrue(e.getMessage().contains("chmod 600 " + file.path()), e.getMessage());
        assertThrows(SecretException.class, () -> file.put(SecretName.provider("b"), Map.of("api_key", "x")),
                "nor is it written to");
    }

    @Test
    void aBrokenFileFailsWithoutEchoingItsContent() throws Exception {
        Path p = dir.resolve("secrets.json");
        Files.writeString(p, "{\"providers\": {\"a\": {\"api_key\": \"sk-leak-me\"");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        var e = assertThrows(SecretException.class, () -> new SecretsFile(p).read(SecretName.provider("a")));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-leak-me"), e.getMessage());
    }

    @Test
    void aSecretShowsNoValueWhenPrinted() {
        Secret s = new Secret(Map.of("api_key", "sk-very-secret"));
        assertFalse(s.toString().contains("sk-very-secret"), s.toString());
        assertThrows(IllegalArgumentException.class, () -> new Secret(Map.of()));
    }
}
