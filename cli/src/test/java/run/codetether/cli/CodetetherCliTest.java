package run.codetether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CodetetherCliTest {
    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> headers = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String sseBody;
    private String jsonBody;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(json.readTree(exchange.getRequestBody()));
            headers.add(exchange.getRequestHeaders().getFirst("A2A-Version") + "|"
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            boolean sse = "text/event-stream".equals(exchange.getRequestHeaders().getFirst("Accept"));
            byte[] body = (sse ? sseBody : jsonBody).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", sse ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        CommandLine cli = CodetetherCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run run = run("--help");
        assertEquals(0, run.exit());
        for (String command : List.of("send", "get", "list", "cancel", "follow", "card", "auth")) {
            assertTrue(run.out().contains(command), "help lacks " + command + ":\n" + run.out());
        }
    }

    @Test
    void sendStreamsEventsAndSendsAnA2aOneMessage() {
        sseBody = "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}}\n\n"
                + ": keep-alive\n\n"
                + "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_WORKING\",\"message\":{\"role\":\"ROLE_AGENT\",\"parts\":[{\"text\":\"reading files\"}]}}}}}\n\n"
                + "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"artifactUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"artifact\":{\"artifactId\":\"a\",\"name\":\"answer\",\"parts\":[{\"text\":\"fixed\"}]}}}}\n\n"
                + "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}}\n\n";

        Run run = run("--url", url(), "--api-key", "k-123", "send", "--provider", "local", "fix", "the", "bug");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("[working] reading files"), run.out());
        assertTrue(run.out().contains("artifact answer:\nfixed"), run.out());
        assertTrue(run.out().contains("[completed]"), run.out());
        JsonNode request = received.get(0);
        assertEquals("SendStreamingMessage", request.path("method").asText());
        assertEquals("ROLE_USER", request.path("params").path("message").path("role").asText());
        assertEquals("fix the bug", request.path("params").path("message").path("parts").get(0).path("text").asText());
        assertEquals("local", request.path("params").path("metadata").path("provider").asText());
        assertEquals("1.0|Bearer k-123", headers.get(0));
    }

    @Test
    void aJsonRpcErrorIsPrintedAndExitsNonZero() {
        jsonBody = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32001,\"message\":\"Task not found\"}}";
        Run run = run("--url", url(), "get", "nope");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("error -32001: Task not found"), run.err());
        assertEquals("GetTask", received.get(0).path("method").asText());
        assertEquals("nope", received.get(0).path("params").path("id").asText());
    }

    @Test
    void aFailedTaskExitsWithOne() {
        jsonBody = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_FAILED\",\"message\":{\"parts\":[{\"text\":\"no provider configured\"}]}}}}}";
        Run run = run("--url", url(), "send", "--no-stream", "hi");
        assertEquals(1, run.exit());
        assertTrue(run.out().contains("failed\nno provider configured"), run.out());
    }

    @Test
    void secretsFileIsPrivateAndListsNamesOnly(@TempDir Path dir) throws Exception {
        SecretsFile file = new SecretsFile(dir.resolve("cfg/codetether/secrets.json"));
        file.put("anthropic", "sk-secret");
        file.put("local", "x");
        assertEquals(List.of("anthropic", "local"), file.providers());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path().getParent())));
        assertEquals("sk-secret", json.readTree(file.path().toFile()).path("providers").path("anthropic").path("api_key").asText());
        assertTrue(file.remove("local"));
        assertEquals(List.of("anthropic"), file.providers());
    }
}
