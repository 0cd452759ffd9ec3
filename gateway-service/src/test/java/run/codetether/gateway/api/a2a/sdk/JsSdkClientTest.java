package run.codetether.gateway.api.a2a.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * The official A2A JS SDK client (@a2a-js/sdk 1.3.0) against the gateway, from a node script. The package is
 * installed into target/a2a-js with npm on first run (no lockfile, nothing committed); the test is skipped when
 * node or npm is missing or the install fails (offline machine).
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class JsSdkClientTest {
    static final Path DIR = Path.of("target", "a2a-js");

    @TestHTTPResource("/")
    URI root;

    static int run(List<String> cmd, Path dir, StringBuilder output, long seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return p.exitValue();
    }

    static boolean installed() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/@a2a-js/sdk"))) {
            return true;
        }
        Files.createDirectories(DIR);
        StringBuilder out = new StringBuilder();
        try {
            if (run(List.of("node", "--version"), DIR, out, 20) != 0) {
                return false;
            }
            return run(List.of("npm", "install", "--no-save", "--no-package-lock", "--ignore-scripts",
                    "--no-audit", "--no-fund", "@a2a-js/sdk@1.3.0"), DIR, out, 180) == 0;
        } catch (IOException e) {
            return false; // node or npm not installed
        }
    }

    @Test
    void jsSdkClientPasses() throws Exception {
        assumeTrue(installed(), "node/npm or the @a2a-js/sdk package is not available here");
        ScriptedWorker.shared();
        Path script = DIR.resolve("a2a-js-client.mjs");
        try (var in = getClass().getResourceAsStream("/js/a2a-js-client.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        StringBuilder out = new StringBuilder();
        String base = root.toString().replaceAll("/$", "");
        int code = run(List.of("node", "a2a-js-client.mjs", base, A2AHttp.ALICE), DIR, out, 120);
        assertEquals(0, code, out::toString);
        String last = out.toString().strip().lines().reduce((a, b) -> b).orElse("{}");
        JsonNode result = A2AHttp.JSON.readTree(last);
        assertEquals("echo: echo from js", result.get("artifactText").asText());
        assertEquals(5, result.get("streamEvents").asInt());
        assertTrue(result.has("notFoundError"));
    }
}
