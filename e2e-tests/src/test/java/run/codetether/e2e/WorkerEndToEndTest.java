package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker mode end to end (docs/worker.md): a real {@code codetether worker} process (the CLI jar) on a temporary git
 * checkout connects out to the local stack's gateway; a task naming the codebase gets a scripted model that edits a
 * file and runs a command. The edit and the command's side effect are in the checkout on disk, the command ran once,
 * and tools-service never saw the files.
 */
class WorkerEndToEndTest {
    static LocalStack stack;
    static Process worker;
    static ConnectProxy proxy;
    static Path workerLog;

    @TempDir
    static Path dirs;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.get();
        Path checkout = dirs.resolve("app");
        Files.createDirectories(checkout);
        Files.writeString(checkout.resolve("greeting.txt"), "hello world\n");
        git(checkout, "init", "-q", "-b", "main");
        git(checkout, "remote", "add", "origin", "https://user:secret-token@example.invalid/acme/app.git");
        TerminalClient client = new TerminalClient(dirs.resolve("home"));
        proxy = new ConnectProxy();
        workerLog = dirs.resolve("worker.log");
        ProcessBuilder pb = new ProcessBuilder(client.command("worker", "--server",
                "http://127.0.0.1:" + stack.gateway.grpcPort, "--codebases", checkout.toString(), "--name", "e2e-laptop",
                "--auto-approve", "all", "--state-dir", dirs.resolve("state").toString(),
                // as behind a corporate network: the stream to the gateway goes through an HTTP CONNECT proxy
                "--proxy", "http://127.0.0.1:" + proxy.port()))
                .redirectErrorStream(true).redirectOutput(workerLog.toFile());
        pb.environment().putAll(client.env());
        worker = pb.start();
        A2aHttp http = new A2aHttp(stack.gateway);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!http.get("/v1/codebases").body().contains("\"app\"")) {
            assertTrue(worker.isAlive(), "the worker exited: " + Files.readString(workerLog));
            assertTrue(System.nanoTime() < deadline, "the worker did not register: " + Files.readString(workerLog));
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.destroy(); // SIGTERM: the worker deregisters
            worker.waitFor(10, TimeUnit.SECONDS);
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void listsTheCodebaseWithoutThePathOrTheRemotesCredentials() throws Exception {
        A2aHttp http = new A2aHttp(stack.gateway);
        JsonNode codebases = A2aHttp.JSON.readTree(http.get("/v1/codebases").body()).path("codebases");
        JsonNode app = null;
        for (JsonNode c : codebases) {
            app = c.path("name").asText().equals("app") ? c : app;
        }
        assertTrue(app != null, codebases.toString());
        assertTrue(app.path("id").asText().startsWith("cb-"), app.toString());
        assertEquals("e2e-laptop", app.path("worker").asText());
        assertEquals("https://example.invalid/acme/app.git", app.path("git_remote").asText());
        assertEquals("main", app.path("git_branch").asText());
        assertEquals(64, app.path("path_hash").asText().length());
        assertTrue(!codebases.toString().contains(dirs.toString()), "the path never leaves the worker");
        JsonNode workers = A2aHttp.JSON.readTree(http.get("/v1/workers").body()).path("workers");
        assertTrue(workers.toString().contains("\"auto_approve\":\"all\""), workers.toString());
        JsonNode rpc = http.rpc("codetether/codebases/list", A2aHttp.JSON.createObjectNode());
        assertEquals(app.path("id").asText(), rpc.path("codebases").get(0).path("id").asText(), rpc.toString());
        assertEquals("e2e-laptop", http.rpc("codetether/workers/list", A2aHttp.JSON.createObjectNode())
                .path("workers").get(0).path("name").asText());
    }

    @Test
    void theTasksEditAndCommandRunInTheCheckoutAndToolsServiceNeverSeesTheFiles() throws Exception {
        A2aHttp http = new A2aHttp(stack.gateway);
        JsonNode task = http.send(UUID.randomUUID().toString(), "Fix the greeting",
                Map.of("workspace", Map.of("codebase", "app"), "access_mode", "full"));
        JsonNode done = http.awaitFinal(task.path("id").asText(), Duration.ofSeconds(90), stack.gateway);
        assertTrue(done.path("status").path("state").asText().endsWith("COMPLETED"),
                done + "\nworker log:\n" + Files.readString(workerLog));
        Path checkout = dirs.resolve("app");
        assertEquals("hello from the worker\n", Files.readString(checkout.resolve("greeting.txt")));
        assertEquals("ran\n", Files.readString(checkout.resolve("ran.txt")), "the command ran once");
        try (Stream<Path> files = Files.walk(stack.workspaces)) {
            List<Path> seen = files.filter(p -> p.getFileName().toString().equals("greeting.txt")).toList();
            assertEquals(List.of(), seen, "tools-service never had the codebase's files");
        }
        String log = Files.readString(workerLog);
        assertTrue(log.contains("call edit on app -> ok") && log.contains("call bash on app -> ok"), log);
        assertTrue(proxy.tunnels.get() >= 1 && log.contains("through the HTTP proxy 127.0.0.1:" + proxy.port()),
                "the worker's stream went through the proxy (" + proxy.tunnels.get() + " tunnels): " + log);
    }

    @Test
    void aCodebaseNoWorkerServesIsRefusedBeforeTheTaskStarts() throws Exception {
        A2aHttp http = new A2aHttp(stack.gateway);
        var params = A2aHttp.JSON.createObjectNode();
        var message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString());
        message.put("role", "ROLE_USER");
        message.putArray("parts").addObject().put("text", "hi");
        params.putObject("metadata").putObject("workspace").put("codebase", "nope");
        AssertionError refused = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> http.rpc("SendMessage", params));
        assertTrue(refused.getMessage().contains("no connected worker of yours serves codebase 'nope'"),
                refused.getMessage());
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
