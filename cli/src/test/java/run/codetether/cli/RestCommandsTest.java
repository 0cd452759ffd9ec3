package run.codetether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code models}, {@code stats} and {@code config}: golden output against a loopback server that serves the shapes
 * INTERFACES.md documents; a gateway that answers 404 is said not to serve the endpoint (never faked data).
 */
class RestCommandsTest {
    static final String MODELS = """
            {"catalog_version": "2026-11-30", "models": [
              {"provider": "anthropic", "id": "claude-sonnet-4-20250514", "context_window": 200000, "max_output": 64000,
               "tool_calls": true, "price": {"input": 3.0, "output": 15.0, "cache_read": 0.3, "cache_write": 3.75}, "default": true},
              {"provider": "anthropic", "id": "claude-opus-4", "context_window": 200000, "max_output": 32000,
               "tool_calls": true, "price": {"input": 15.0, "output": 75.0, "cache_read": 1.5, "cache_write": 18.75}, "default": false},
              {"provider": "local", "id": "qwen2.5-coder", "context_window": 32768, "max_output": 8192,
               "tool_calls": true, "price": null, "default": true},
              {"provider": "moonshotai", "id": "kimi-k2.5", "context_window": 256000, "max_output": 32000,
               "tool_calls": true, "price": {"input": 0.6, "output": 2.5, "cache_read": 0.15, "cache_write": 0.6}, "default": true}]}
            """;
    static final String STATS = """
            {"rows": [
              {"day": "2026-11-29", "provider": "anthropic", "model": "claude-sonnet-4-20250514", "tasks": 12,
               "tokens_in": 482113, "tokens_out": 30211, "cache_read_tokens": 1200000, "cache_write_tokens": 64000,
               "cost_usd": 1.9, "unpriced_tasks": 0},
              {"day": "2026-11-30", "provider": "local", "model": "qwen2.5-coder", "tasks": 3,
               "tokens_in": 12000, "tokens_out": 900, "cost_usd": null, "unpriced_tasks": 3}]}
            """;

    private LoopbackGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void modelsPrintsTheCatalogGroupedByProvider() throws Exception {
        gateway.rest("/v1/models", MODELS);
        CodetetherCliTest.Run run = CodetetherCliTest.run("--url", gateway.url(), "models");
        assertEquals(0, run.exit(), run.err());
        CodetetherCliTest.assertGolden("models.txt", run.out());
        assertEquals("/v1/models", gateway.paths.get(0));
    }

    @Test
    void modelsFiltersByProviderAndPrintsJson() throws Exception {
        gateway.rest("/v1/models", MODELS);
        CodetetherCliTest.Run run = CodetetherCliTest.run("--url", gateway.url(), "models", "--provider", "local");
        assertTrue(run.out().startsWith("local\n  * qwen2.5-coder"), run.out());
        assertTrue(run.out().contains("1 models from 1 providers"), run.out());
        CodetetherCliTest.Run json = CodetetherCliTest.run("--url", gateway.url(), "models", "--json");
        assertEquals("2026-11-30", LoopbackGateway.JSON.readTree(json.out()).path("catalog_version").asText());
    }

    @Test
    void statsPrintsRowsAndTotalsAndAsksForTheRange() throws Exception {
        gateway.rest("/v1/stats", STATS);
        CodetetherCliTest.Run run = CodetetherCliTest.run("--url", gateway.url(), "stats", "--from", "2026-11-29",
                "--to", "2026-11-30");
        assertEquals(0, run.exit(), run.err());
        CodetetherCliTest.assertGolden("stats.txt", run.out());
        assertEquals("/v1/stats?from=2026-11-29&to=2026-11-30", gateway.paths.get(0));
    }

    @Test
    void statsOfSeveralTenantsHasATenantColumnAndTenantPicksOne() throws Exception {
        gateway.rest("/v1/stats", """
                {"rows": [
                  {"day": "2026-11-29", "tenant": "acme", "provider": "anthropic", "model": "claude", "tasks": 2,
                   "tokens_in": 100, "tokens_out": 10, "cost_usd": 0.5, "unpriced_tasks": 0},
                  {"day": "2026-11-29", "tenant": "globex", "provider": "anthropic", "model": "claude", "tasks": 1,
                   "tokens_in": 50, "tokens_out": 5, "cost_usd": 0.25, "unpriced_tasks": 0}]}
                """);
        CodetetherCliTest.Run run = CodetetherCliTest.run("--url", gateway.url(), "stats", "--from", "2026-11-29",
                "--to", "2026-11-29", "--tenant", "a b");
        assertEquals(0, run.exit(), run.err());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].startsWith("tenant "), run.out());
        assertTrue(lines[1].startsWith("acme ") && lines[2].startsWith("globex "), run.out());
        assertTrue(lines[3].startsWith("total ") && lines[3].endsWith("$0.7500"), run.out());
        assertEquals("/v1/stats?from=2026-11-29&to=2026-11-29&tenant=a+b", gateway.paths.get(0));
        CodetetherCliTest.Run backwards = CodetetherCliTest.run("--url", gateway.url(), "stats", "--from",
                "2026-11-30", "--to", "2026-11-29");
        assertEquals(ExitCodes.USAGE, backwards.exit());
        assertEquals(1, gateway.paths.size(), "a bad range is refused before any request");
    }

    @Test
    void aGatewayWithoutTheEndpointIsNamedAndExitsFour() {
        CodetetherCliTest.Run models = CodetetherCliTest.run("--url", gateway.url(), "models");
        assertEquals(ExitCodes.NOT_SERVED, models.exit());
        assertEquals("", models.out());
        assertEquals("codetether: this gateway does not serve /v1/models yet (HTTP 404); it arrives with a newer gateway\n",
                models.err());
        CodetetherCliTest.Run stats = CodetetherCliTest.run("--url", gateway.url(), "stats");
        assertEquals(ExitCodes.NOT_SERVED, stats.exit());
        assertTrue(stats.err().contains("does not serve /v1/stats"), stats.err());
    }

    @Test
    void configShowSetAndRefuse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("codetether-agent/config.toml");
        CodetetherCliTest.Run empty = CodetetherCliTest.run("--url", "http://127.0.0.1:7/", "config", "--path", file.toString(), "--show");
        assertEquals(0, empty.exit(), empty.err());
        CodetetherCliTest.assertGolden("config-defaults.txt", empty.out().replace(file.toString(), "FILE"));

        assertEquals(0, CodetetherCliTest.run("config", "--path", file.toString(), "set", "ui.theme", "solarized-dark").exit());
        assertEquals(0, CodetetherCliTest.run("config", "--path", file.toString(), "--set", "default_model=claude-opus-4").exit());
        assertEquals(0, CodetetherCliTest.run("config", "--path", file.toString(), "set", "default.provider", "anthropic").exit());
        String toml = Files.readString(file);
        assertTrue(toml.contains("theme = 'solarized-dark'") || toml.contains("theme = \"solarized-dark\""), toml);
        CodetetherCliTest.Run shown = CodetetherCliTest.run("--url", "http://127.0.0.1:7/", "config", "--path", file.toString(), "--show");
        CodetetherCliTest.assertGolden("config-set.txt", shown.out().replace(file.toString(), "FILE"));

        CodetetherCliTest.Run bad = CodetetherCliTest.run("config", "--path", file.toString(), "set", "ui.theme", "neon");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertEquals("codetether: unknown theme 'neon'; themes: marketing, dark, light, solarized-dark, solarized-light\n", bad.err());
        CodetetherCliTest.Run unknown = CodetetherCliTest.run("config", "--path", file.toString(), "set", "ui.colour", "x");
        assertEquals(ExitCodes.USAGE, unknown.exit());
    }

    @Test
    void copilotDeviceLoginStoresTheToken(@TempDir Path dir) throws Exception {
        try (CopilotStub github = new CopilotStub()) {
            Path secrets = dir.resolve("secrets.json");
            CodetetherCliTest.Run run = CodetetherCliTest.run("auth", "copilot", "--github-url", github.url(),
                    "--client-id", "Iv1.test", "--poll-margin-ms", "0", "--secrets-file", secrets.toString());
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("Open this URL: https://github.com/login/device\nEnter code: WDJB-MJHT\n"), run.out());
            assertEquals("gho_token123", LoopbackGateway.JSON.readTree(secrets.toFile())
                    .path("providers").path("github-copilot").path("api_key").asText());
            assertEquals(2, github.polls.get(), "polled until the user approved");
            assertTrue(github.bodies.get(0).contains("\"client_id\":\"Iv1.test\""), github.bodies.toString());
            assertTrue(github.bodies.get(1).contains("urn:ietf:params:oauth:grant-type:device_code"), github.bodies.toString());
        }
    }

    @Test
    void copilotLoginWithoutAClientIdSaysWhatIsMissing() {
        CodetetherCliTest.Run run = CodetetherCliTest.run("auth", "copilot", "--github-url", "http://127.0.0.1:9");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("--client-id ID or CODETETHER_COPILOT_OAUTH_CLIENT_ID"), run.err());
    }
}
