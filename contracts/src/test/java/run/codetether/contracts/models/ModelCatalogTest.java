package run.codetether.contracts.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment's own catalog replaces the built-in one without a rebuild (issue 17): from a path, a {@code file:} URL
 * or an http(s) URL. Every way it can be wrong fails loudly with the location and the reason, and a price that is
 * not fully given is an error rather than a free model: cost is never an invented 0.
 */
class ModelCatalogTest {

    static final String CATALOG = """
            {"catalog_version": "deploy-7", "models": [
              {"provider": "deepseek", "id": "deepseek-chat", "context_window": 64000, "max_output": 8192,
               "tool_calls": true, "price": {"input": 0.27, "output": 1.10, "cache_read": 0.07, "cache_write": null},
               "default": true},
              {"provider": "ollama", "id": "qwen3:8b", "context_window": 40000, "max_output": 8192,
               "tool_calls": true, "price": null, "default": false}]}
            """;

    @TempDir
    Path dir;

    HttpServer http;

    @BeforeEach
    void serve() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/catalog.json", x -> {
            byte[] body = CATALOG.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        http.createContext("/gone.json", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private static void assertDeploy7(ModelCatalog c) {
        assertEquals("deploy-7", c.version());
        ModelCatalog.Model chat = c.find("deepseek", "deepseek-chat").orElseThrow();
        assertEquals(64000, chat.contextWindow());
        assertEquals(0.27, chat.price().input());
        assertEquals(0.07, chat.price().cacheRead());
        assertNull(chat.price().cacheWrite());
        assertEquals("deepseek-chat", c.defaultOf("deepseek").orElseThrow().id());
        assertNull(c.find("ollama", "qwen3:8b").orElseThrow().price(), "a null price is unpriced, never 0");
    }

    @Test
    void noLocationIsTheBuiltInCatalog() {
        assertSame(ModelCatalog.builtIn(), ModelCatalog.load(Optional.empty()));
        assertSame(ModelCatalog.builtIn(), ModelCatalog.load(Optional.of("  ")));
    }

    @Test
    void aCatalogIsReadFromAnHttpUrlAPathOrAFileUrl() throws IOException {
        assertDeploy7(ModelCatalog.load(Optional.of(url("/catalog.json"))));
        Path file = Files.writeString(dir.resolve("catalog.json"), CATALOG);
        assertDeploy7(ModelCatalog.load(Optional.of(file.toString())));
        assertDeploy7(ModelCatalog.load(Optional.of(file.toUri().toString())));
    }

    @Test
    void aCatalogThatCannotBeFetchedOrReadNamesItsLocationAndWhy() throws IOException {
        IllegalStateException notFound = assertThrows(IllegalStateException.class,
                () -> ModelCatalog.load(Optional.of(url("/gone.json"))));
        assertEquals("model catalog " + url("/gone.json") + ": HTTP 404", notFound.getMessage());

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String nobody = "http://127.0.0.1:" + closed + "/catalog.json";
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ModelCatalog.load(Optional.of(nobody)));
        assertTrue(refused.getMessage().startsWith("model catalog " + nobody + " cannot be read"), refused.getMessage());

        Path missing = dir.resolve("nope.json");
        IllegalStateException absent = assertThrows(IllegalStateException.class,
                () -> ModelCatalog.load(Optional.of(missing.toString())));
        assertTrue(absent.getMessage().startsWith("model catalog " + missing + " cannot be read"), absent.getMessage());
    }

    @Test
    void aDocumentThatIsNotACatalogIsRefused() throws IOException {
        assertRefused("{\"models\": [", "is not a valid catalog");
        assertRefused("{\"models\": []}", "without catalog_version");
    }

    @Test
    void aPriceOrWindowThatIsNotGivenIsAnErrorNotZero() throws IOException {
        String model = """
                {"catalog_version": "bad", "models": [{"provider": "p", "id": "m", "tool_calls": true, "default": false,
                 %s}]}
                """;
        String window = "\"context_window\": 1000, \"max_output\": 100, ";
        assertRefused(model.formatted(window + "\"price\": {\"input\": 1.0, \"output\": null}"), "output");
        assertRefused(model.formatted(window + "\"price\": {\"input\": 1.0}"), "output");
        assertRefused(model.formatted(window + "\"price\": {\"output\": 1.0}"), "input");
        assertRefused(model.formatted(window + "\"price\": {}"), "input");
        assertRefused(model.formatted("\"max_output\": 100, \"price\": null"), "context_window");
        assertRefused(model.formatted("\"context_window\": 1000, \"price\": null"), "max_output");
        assertRefused(model.formatted(window + "\"price\": {\"input\": -1.0, \"output\": 1.0}"), "negative");
    }

    private void assertRefused(String json, String reason) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "catalog", ".json"), json);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelCatalog.load(Optional.of(file.toString())), json);
        assertTrue(e.getMessage().startsWith("model catalog " + file), e.getMessage());
        assertTrue(e.getMessage().contains(reason), reason + " not named: " + e.getMessage());
    }
}
