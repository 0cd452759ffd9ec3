package run.codetether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.platform.json.Json;

/**
 * Issue 16: {@code --json} is honoured by the commands that printed only text with it: {@code --version},
 * {@code config set} / {@code --set} / {@code --init}, {@code auth add}, {@code auth remove}. One golden file holds
 * their output, one JSON object per line (the paths replaced by FILE, the build's own facts by placeholders).
 */
class JsonOutputTest {
    @Test
    void jsonIsHonouredByVersionConfigAndAuth(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("codetether-agent/config.toml");
        Path secrets = dir.resolve("secrets.json");
        StringBuilder all = new StringBuilder();

        CodetetherCliTest.Run version = CodetetherCliTest.run("--version", "--json");
        assertEquals(0, version.exit(), version.err());
        JsonNode v = Json.mapper().readTree(version.out());
        assertEquals(BuildInfo.version(), v.path("version").asText());
        assertEquals(Runtime.version().feature(), v.path("java").asInt());
        all.append(version.out().replace("\"" + v.path("version").asText() + "\"", "\"<version>\"")
                .replace("\"" + v.path("build_time").asText() + "\"", "\"<time>\"")
                .replaceAll("\"commit\":(null|\"[^\"]*\")", "\"commit\":\"<commit>\"")
                .replace("\"java\":" + Runtime.version().feature(), "\"java\":0"));
        assertEquals(BuildInfo.line() + "\n", CodetetherCliTest.run("--version").out(), "text without --json");

        all.append(ok("--json", "config", "--path", config.toString(), "--init"));
        all.append(ok("--json", "config", "--path", config.toString(), "--init"));
        all.append(ok("--json", "config", "--path", config.toString(), "set", "ui.theme", "dark"));
        all.append(ok("config", "--path", config.toString(), "--set", "agent.access_mode=approve", "--json"));
        assertTrue(Files.readString(config).contains("access_mode"), Files.readString(config));

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("sk-test-123\n".getBytes(StandardCharsets.UTF_8)));
            all.append(ok("--json", "auth", "add", "anthropic", "--stdin", "--secrets-file", secrets.toString()));
        } finally {
            System.setIn(stdin);
        }
        assertTrue(Files.readString(secrets).contains("sk-test-123"));
        all.append(ok("--json", "auth", "remove", "anthropic", "--secrets-file", secrets.toString()));
        CodetetherCliTest.Run again = CodetetherCliTest.run("--json", "auth", "remove", "anthropic", "--secrets-file",
                secrets.toString());
        assertEquals(1, again.exit(), "nothing to remove is exit 1");
        all.append(again.out());

        String text = all.toString().replace(config.toString(), "FILE").replace(secrets.toString(), "FILE");
        for (String line : text.lines().toList()) {
            assertTrue(Json.mapper().readTree(line).isObject(), "each line is one JSON object: " + line);
        }
        CodetetherCliTest.assertGolden("json-outputs.txt", text);
    }

    @Test
    void aBadAccessModeIsRefusedNamingTheValues(@TempDir Path dir) {
        Path config = dir.resolve("config.toml");
        CodetetherCliTest.Run bad = CodetetherCliTest.run("config", "--path", config.toString(), "set",
                "agent.access_mode", "yolo");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertEquals("codetether: access_mode must be one of full, approve, ask (got yolo)\n", bad.err());
    }

    private static String ok(String... args) {
        CodetetherCliTest.Run r = CodetetherCliTest.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        return r.out();
    }
}
