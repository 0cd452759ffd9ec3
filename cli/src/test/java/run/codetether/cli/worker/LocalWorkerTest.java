package run.codetether.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.cli.LoopbackGateway;
import run.codetether.cli.a2a.A2aClient;

/**
 * The TUI's worker-mode pieces against a loopback gateway: the codebase that serves a directory (or one above it) is
 * found by the sha256 of its real path (what {@link CodebaseSpec} registers), a gateway without a worker list means none, and a
 * gateway whose card names no gRPC endpoint is refused with what to do; the child worker's name and cap.
 */
class LocalWorkerTest {
    @TempDir Path tmp;

    @Test
    void theCodebaseServingTheDirectoryIsFoundByItsPathHash() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("app"));
        Path link = Files.createSymbolicLink(tmp.resolve("via-link"), dir);
        String hash = CodebaseSpec.parse(dir.toString()).get(0).pathHash();
        try (LoopbackGateway gateway = new LoopbackGateway()) {
            gateway.rest("/v1/codebases", "{\"codebases\": [{\"id\": \"cb-other\", \"name\": \"x\", \"worker\": \"w\","
                    + " \"path_hash\": \"00\"}, {\"id\": \"cb-1\", \"name\": \"app\", \"worker\": \"laptop\","
                    + " \"path_hash\": \"" + hash + "\"}]}");
            A2aClient client = new A2aClient(URI.create(gateway.url()), null);
            assertEquals(Optional.of(new LocalWorker.Served("cb-1", "app", "laptop")), LocalWorker.find(client, link),
                    "a symbolic link to the directory is the same directory");
            assertEquals("cb-1", LocalWorker.find(client, Files.createDirectories(dir.resolve("src/main"))).orElseThrow()
                    .codebaseId(), "a directory inside the codebase is served by it");
            assertEquals(Optional.empty(), LocalWorker.find(client, Files.createDirectories(tmp.resolve("other"))));
        }
        try (LoopbackGateway old = new LoopbackGateway()) {
            assertEquals(Optional.empty(), LocalWorker.find(new A2aClient(URI.create(old.url()), null), dir),
                    "a gateway without /v1/codebases has no worker");
        }
    }

    @Test
    void theWorkersGrpcEndpointComesFromTheCardAndItsAbsenceIsRefused() throws Exception {
        try (LoopbackGateway gateway = new LoopbackGateway()) {
            gateway.rest("/.well-known/agent-card.json", "{\"supportedInterfaces\": [{\"url\": \"http://h:8080/a2a\","
                    + " \"protocolBinding\": \"JSONRPC\"}, {\"url\": \"http://h:9080\", \"protocolBinding\": \"GRPC\"}]}");
            assertEquals("http://h:9080", LocalWorker.grpcUrl(new A2aClient(URI.create(gateway.url()), null)));
            gateway.rest("/.well-known/agent-card.json", "{\"supportedInterfaces\": [{\"url\": \"http://h:8080/a2a\","
                    + " \"protocolBinding\": \"JSONRPC\"}]}");
            IOException none = assertThrows(IOException.class,
                    () -> LocalWorker.grpcUrl(new A2aClient(URI.create(gateway.url()), null)));
            assertTrue(none.getMessage().contains("names no gRPC endpoint"), none.getMessage());
        }
    }

    @Test
    void theChildsNameCapAndStateFollowTheDirectoryAccessAndEnvironment() {
        assertEquals("my-project", LocalWorker.codebaseName(Path.of("/x/my project")));
        assertEquals("d-cb-thing", LocalWorker.codebaseName(Path.of("/x/cb-thing")));
        assertTrue(CodebaseSpec.NAME.matcher(LocalWorker.codebaseName(Path.of("/x/" + "ü".repeat(80)))).matches());
        assertEquals("all", LocalWorker.autoApprove("full"));
        assertEquals("safe", LocalWorker.autoApprove("approve"));
        assertEquals("none", LocalWorker.autoApprove("ask"));
        assertEquals("safe", LocalWorker.autoApprove(null));
        assertEquals(Path.of("/s"), LocalWorker.stateHome(Map.of("XDG_STATE_HOME", "/s", "HOME", "/h")));
        assertEquals(Path.of("/h/.local/state"), LocalWorker.stateHome(Map.of("HOME", "/h")));
    }
}
