package run.codetether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree against a loopback gateway: golden output of {@code run}, exit codes, the A2A wire sent. */
public class CodetetherCliTest {
    static final String CODING_TASK = String.join("",
            LoopbackGateway.frame("{\"task\":{\"id\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}"),
            ": keep-alive\n\n",
            LoopbackGateway.frame(status("WORKING", null, "{\"step\":0}")),
            LoopbackGateway.frame(status("WORKING", null,
                    "{\"step\":1,\"tool\":\"write_file\",\"call_id\":\"call_1\",\"arguments\":{\"path\":\"hello.txt\",\"content\":\"hello from e2e\\n\"}}")),
            LoopbackGateway.frame(status("WORKING", null, "{\"step\":2,\"tool\":\"bash\",\"call_id\":\"call_2\"}")),
            LoopbackGateway.frame(status("WORKING", "15 hello.txt\\n",
                    "{\"step\":2,\"tool\":\"bash\",\"call_id\":\"call_2\",\"partial\":true,\"output\":true}")),
            // the answer streams as chunks of the answer artifact (only the new text; the second one delivered
            // twice), then comes whole: the golden output shows it once
            LoopbackGateway.frame(answerChunk("Wrote hello", 0)),
            LoopbackGateway.frame(answerChunk(".txt (15", 11)),
            LoopbackGateway.frame(answerChunk(".txt (15", 11)),
            LoopbackGateway.frame("{\"artifactUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"append\":false,\"lastChunk\":true,\"artifact\":{\"artifactId\":\"answer-t1\",\"name\":\"answer\",\"parts\":[{\"text\":\"Wrote hello.txt (15 bytes).\"}]}}}"),
            LoopbackGateway.frame("{\"artifactUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"artifact\":{\"artifactId\":\"a2\",\"name\":\"changed-files\",\"parts\":[{\"data\":{\"files\":[\"hello.txt\"]}}]}}}"),
            LoopbackGateway.frame(status("COMPLETED", "Wrote hello.txt (15 bytes).",
                    "{\"usage\":{\"inputTokens\":1200,\"outputTokens\":80,\"costUsd\":0.0123,\"steps\":3}}")));

    @TempDir
    Path home;
    private LoopbackGateway gateway;

    static String answerChunk(String text, int offset) {
        return "{\"artifactUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"append\":" + (offset > 0)
                + ",\"lastChunk\":false,\"artifact\":{\"artifactId\":\"answer-t1\",\"name\":\"answer\",\"parts\":[{\"text\":\""
                + text + "\"}],\"metadata\":{\"partial\":true,\"step\":3,\"text_offset\":" + offset + "}}}}";
    }

    static String status(String state, String text, String metadata) {
        return "{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_" + state + "\""
                + (text == null ? "" : ",\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_AGENT\",\"parts\":[{\"text\":\"" + text + "\"}]}")
                + "},\"metadata\":" + metadata + "}}";
    }

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway();
        System.setProperty("codetether.tty", "false");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** One in-process run of the CLI (also used by the command tests in other packages). */
    public record Run(int exit, String out, String err) {}

    public static Run run(String... args) {
        CommandLine cli = CodetetherCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Durations vary run to run; everything else must match the golden file byte for byte. */
    static String normalize(String s) {
        return s.replaceAll("\\b\\d+(\\.\\d)?m?s\\b", "<t>");
    }

    /** Compares with src/test/resources/golden/NAME; the actual output is left in target/golden for review. */
    static void assertGolden(String name, String actual) throws IOException {
        Path out = Path.of("target/golden", name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, actual);
        assertEquals(golden(name), actual, "differs from the golden file; actual output in " + out.toAbsolutePath());
    }

    static String golden(String name) throws IOException {
        try (InputStream in = CodetetherCliTest.class.getResourceAsStream("/golden/" + name)) {
            return in == null ? "(no golden file " + name + ")" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void helpListsTheOriginalsCommands() {
        Run run = run("--help");
        assertEquals(0, run.exit());
        for (String command : List.of("run", "tui", "swarm", "ralph", "rlm", "models", "stats", "config", "sessions",
                "auth", "get", "tasks", "cancel", "follow", "card")) {
            assertTrue(run.out().contains("\n  " + command), "help lacks " + command + ":\n" + run.out());
        }
    }

    @Test
    void versionPrintsTheBuild() {
        Run run = run("--version");
        assertEquals(0, run.exit());
        assertTrue(run.out().matches("(?s)codetether \\S+ \\(build .*Java \\d+\\)\\s*"), run.out());
    }

    @Test
    void runPrintsToolLinesTheAnswerOnceAndAFooter() throws Exception {
        gateway.sse = List.of(CODING_TASK);
        Run run = run("--url", gateway.url(), "--api-key", "k-123", "run", "--provider", "local", "Create", "hello.txt");

        assertEquals(0, run.exit(), run.err());
        assertGolden("run-coding-task.txt", normalize(run.out()));
        assertEquals(1, run.out().split("Wrote hello.txt", -1).length - 1, "the answer is printed exactly once");
        JsonNode request = gateway.rpc.get(0);
        assertEquals("SendStreamingMessage", request.path("method").asText());
        assertEquals("ROLE_USER", request.path("params").path("message").path("role").asText());
        assertEquals("Create hello.txt", request.path("params").path("message").path("parts").get(0).path("text").asText());
        assertEquals("local", request.path("params").path("metadata").path("provider").asText());
        assertEquals("Bearer k-123", gateway.auth.get(0));
    }

    /** Issue 16: the access mode goes with the task, so a mutating call can wait for an approval. */
    @Test
    void runSendsItsAccessModeAndRefusesAnUnknownOne() {
        gateway.sse = List.of(CODING_TASK);
        Run run = run("--url", gateway.url(), "run", "--no-workspace", "--access", "Approve", "hi");
        assertEquals(0, run.exit(), run.err());
        assertEquals("approve", gateway.rpc.get(0).path("params").path("metadata").path("access_mode").asText());
        Run bad = run("--url", gateway.url(), "run", "--no-workspace", "--access", "yolo", "hi");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertEquals("codetether: access_mode must be one of full, approve, ask (got yolo)\n", bad.err());
        assertEquals(1, gateway.rpc.size(), "nothing sent for a bad mode");
    }

    @Test
    void runWithJsonPrintsEachEventAsOneLine() {
        gateway.sse = List.of(CODING_TASK);
        Run run = run("--url", gateway.url(), "run", "--json", "hi");
        assertEquals(0, run.exit(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(11, lines.length, run.out());
        assertTrue(lines[10].contains("TASK_STATE_COMPLETED"), lines[10]);
    }

    @Test
    void aTaskWaitingForAnAnswerExitsTwoAndSaysHowToAnswer() {
        gateway.sse = List.of(LoopbackGateway.frame(status("INPUT_REQUIRED", "Which file?",
                "{\"question\":{\"question\":\"Which file?\",\"options\":[\"a.txt\",\"b.txt\"]}}")));
        Run run = run("--url", gateway.url(), "run", "fix it");
        assertEquals(ExitCodes.NEEDS_INPUT, run.exit(), run.err());
        assertTrue(run.out().contains("? Which file?\n  options: a.txt | b.txt\n  answer with: codetether run --task t1"), run.out());
    }

    @Test
    void anApprovalRequestShowsToolArgumentsAndPreview() {
        gateway.sse = List.of(LoopbackGateway.frame("{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":"
                + "{\"state\":\"TASK_STATE_INPUT_REQUIRED\",\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_AGENT\",\"parts\":["
                + "{\"text\":\"May I edit a.txt?\"},{\"data\":{\"approval_request\":{\"call_id\":\"c9\",\"tool\":\"edit\","
                + "\"arguments\":{\"path\":\"a.txt\"},\"preview\":\"-old\\n+new\",\"reason\":\"edits need approval\"}}}]}}}}"));
        Run run = run("--url", gateway.url(), "run", "edit");
        assertEquals(ExitCodes.NEEDS_INPUT, run.exit());
        assertTrue(run.out().contains("? approve edit path=a.txt (edits need approval)\n-old\n+new\n"), run.out());
    }

    @Test
    void aJsonRpcErrorIsOneLineAndExitsThree() {
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32001,\"message\":\"Task not found\"}}";
        Run run = run("--url", gateway.url(), "get", "nope");
        assertEquals(ExitCodes.GATEWAY_ERROR, run.exit());
        assertEquals("codetether: the gateway refused the request: error -32001: Task not found\n", run.err());
        assertEquals("GetTask", gateway.rpc.get(0).path("method").asText());
    }

    @Test
    void aFailedTaskExitsOneWithItsReason() {
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":"
                + "{\"state\":\"TASK_STATE_FAILED\",\"message\":{\"parts\":[{\"text\":\"no provider configured\"}]}}}}}";
        Run run = run("--url", gateway.url(), "run", "--no-stream", "hi");
        assertEquals(1, run.exit());
        assertTrue(run.out().contains("✗ task failed: no provider configured"), run.out());
    }

    @Test
    void anUnreachableGatewayExitsFive() {
        Run run = run("--url", "http://127.0.0.1:9/", "run", "hi");
        assertEquals(ExitCodes.UNREACHABLE, run.exit(), run.err());
        assertTrue(run.err().contains("cannot reach the gateway at http://127.0.0.1:9/"), run.err());
    }

    @Test
    void aBadOptionExitsSixtyFour() {
        Run run = run("swarm", "--strategy", "sideways", "x");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("--strategy is one of auto, domain, data, stage, none"), run.err());
    }

    @Test
    void swarmSendsTheSkillStrategyAndConcurrency() {
        gateway.sse = List.of(LoopbackGateway.frame(status("COMPLETED", "merged", "{}")));
        Run run = run("--url", gateway.url(), "swarm", "Refactor", "--strategy", "stage", "--max-concurrency", "4");
        assertEquals(0, run.exit(), run.err());
        JsonNode meta = gateway.rpc.get(0).path("params").path("metadata");
        assertEquals("swarm", meta.path("skill").asText());
        assertEquals("stage", meta.path("strategy").asText());
        assertEquals(4, meta.path("max_concurrency").asInt());
        assertEquals(4, meta.path("maxConcurrency").asInt());
    }

    @Test
    void rlmSendsTheFileInline(@TempDir Path dir) throws Exception {
        Path big = Files.writeString(dir.resolve("app.log"), "line 1\nERROR boom\n");
        gateway.sse = List.of(LoopbackGateway.frame(status("COMPLETED", "one error", "{}")));
        Run run = run("--url", gateway.url(), "rlm", "How many errors?", "-f", big.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode message = gateway.rpc.get(0).path("params").path("message");
        assertEquals("rlm", gateway.rpc.get(0).path("params").path("metadata").path("skill").asText());
        assertEquals("text/plain", message.path("parts").get(1).path("mediaType").asText());
        assertEquals("line 1\nERROR boom\n", new String(java.util.Base64.getDecoder().decode(
                message.path("parts").get(1).path("raw").asText()), StandardCharsets.UTF_8));
    }

    @Test
    void ralphStatusAndCreatePrdWorkLocally(@TempDir Path dir) throws Exception {
        Path prd = dir.resolve("prd.json");
        Run created = run("ralph", "create-prd", "--feature", "Dark Mode", "--project-name", "app", "-o", prd.toString());
        assertEquals(0, created.exit(), created.err());
        Run status = run("ralph", "status", "--prd", prd.toString());
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("**Branch:** feature/dark-mode\n**Progress:** 0/1 stories\n\n## Stories\n- [ ] US-001: First user story"),
                status.out());
    }

    @Test
    void secretsFileIsPrivateAndListsNamesOnly(@TempDir Path dir) throws Exception {
        SecretsFile file = new SecretsFile(dir.resolve("cfg/codetether/secrets.json"));
        file.put("anthropic", "sk-secret");
        file.put("local", "x");
        assertEquals(List.of("anthropic", "local"), file.providers());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path().getParent())));
        assertTrue(file.remove("local"));
        assertEquals(List.of("anthropic"), file.providers());
    }
}
