package run.codetether.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.CodetetherCliTest;
import run.codetether.cli.LoopbackGateway;

/**
 * {@code run} without picocli ({@link RunFastPath}) must be {@code run} through the tree: the same options parsed the
 * same way, the same output, request and exit code; and every command line it does not take goes to the tree.
 */
class RunFastPathTest {
    private static final String TASK = String.join("",
            LoopbackGateway.frame("{\"task\":{\"id\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}"),
            LoopbackGateway.frame("{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_WORKING\"},"
                    + "\"metadata\":{\"step\":1,\"tool\":\"bash\",\"call_id\":\"x\",\"arguments\":{\"command\":\"ls\"}}}}"),
            LoopbackGateway.frame("{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\","
                    + "\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_AGENT\",\"parts\":[{\"text\":\"Done.\"}]}},"
                    + "\"metadata\":{\"usage\":{\"inputTokens\":12,\"outputTokens\":3,\"costUsd\":0.001}}}}"));

    private LoopbackGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway();
        System.setProperty("codetether.tty", "false");
    }

    @AfterEach
    void stop() {
        gateway.close();
        System.clearProperty("codetether.stdout-tty");
    }

    @Test
    void theFastPathParsesAsTheTreeDoes() {
        System.setProperty("codetether.stdout-tty", "true"); // so that --no-color shows in ansi()
        for (String line : List.of(
                "run hi",
                "send two words",
                "--url U run hi",
                "run hi --url U --api-key K",
                "--json run -m anthropic/claude-x hi there",
                "--no-color run --model m --provider p --skill ralph hi",
                "run -s ctx -c --no-stream hi",
                "run --context ctx --detach --no-workspace hi",
                "run --task T1 yes --json",
                "--api-key K run --session S -m x a b c")) {
            String[] args = line.strip().split(" ");
            RunFastPath.Globals fast = new RunFastPath.Globals();
            RunCommand mine = RunFastPath.parse(args, fast);
            assertNotNull(mine, line);
            CommandLine tree = CodetetherCli.commandLine();
            CommandLine.ParseResult parsed = tree.parseArgs(args);
            RunCommand theirs = (RunCommand) parsed.subcommand().commandSpec().userObject();
            CodetetherCli root = tree.getCommand();
            assertEquals(describe(theirs), describe(mine), line);
            assertEquals(root.gatewayUrl(), fast.gatewayUrl(), line);
            assertEquals(root.apiKey(), fast.apiKey(), line);
            assertEquals(root.json(), fast.json(), line);
            assertEquals(root.ansi(), fast.ansi(), line);
        }
    }

    @Test
    void everyOtherCommandLineGoesToTheTree() {
        for (String line : List.of("", "--help", "--version", "tui", "models", "run", "run --help", "run -h hi",
                "run --file x hi", "run -f x hi", "run --model=x hi", "run -- hi", "run @args hi", "run -m a -m b hi",
                "run -m a --model b hi", "run -m --json hi", "run -m", "-m x run hi", "run --workspace . hi",
                "run --apply hi", "run --repo r hi", "run -x hi", "run -cm x hi", "--json --json run hi",
                "sessions run", "run --url @u hi")) {
            String[] args = line.isEmpty() ? new String[0] : line.split(" ");
            assertNull(RunFastPath.parse(args, new RunFastPath.Globals()), "'" + line + "' must go to the tree");
        }
    }

    @Test
    void aRunPrintsWritesAndExitsAsTheTreeDoes() {
        gateway.sse = List.of(TASK);
        String[] args = {"--url", gateway.url(), "--api-key", "k-1", "run", "-m", "local/m", "make", "it"};
        CodetetherCliTest.Run tree = CodetetherCliTest.run(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer exit = RunFastPath.launch(args, new PrintWriter(out), new PrintWriter(err));

        assertEquals(tree.exit(), exit, err.toString());
        assertEquals(normalize(tree.out()), normalize(out.toString()));
        assertEquals(tree.err(), err.toString());
        assertTrue(out.toString().contains("Done."), out.toString());
        assertEquals(2, gateway.rpc.size());
        assertEquals(withoutMessageId(gateway.rpc.get(0)), withoutMessageId(gateway.rpc.get(1)));
        assertEquals(List.of("Bearer k-1", "Bearer k-1"), gateway.auth);
    }

    @Test
    void failuresReadAndExitAsTheTreesDo() {
        String[] args = {"--url", "http://127.0.0.1:9/", "run", "hi"};
        CodetetherCliTest.Run tree = CodetetherCliTest.run(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer exit = RunFastPath.launch(args, new PrintWriter(out), new PrintWriter(err));

        assertEquals(run.codetether.cli.ExitCodes.UNREACHABLE, exit);
        assertEquals(tree.exit(), exit);
        assertEquals(tree.err(), err.toString());
        assertTrue(err.toString().contains("cannot reach the gateway at http://127.0.0.1:9/"), err.toString());
    }

    private static String describe(RunCommand r) {
        return String.join("|", String.valueOf(r.words), r.model, r.provider, r.session, r.taskId, r.skill,
                String.valueOf(r.continueLast), String.valueOf(r.noStream), String.valueOf(r.detach),
                String.valueOf(r.noWorkspace), String.valueOf(r.files), String.valueOf(r.workspaceDir),
                String.valueOf(r.apply), r.repo, r.ref, r.push);
    }

    private static String normalize(String s) {
        return s.replaceAll("\\b\\d+(\\.\\d)?m?s\\b", "<t>");
    }

    private static JsonNode withoutMessageId(JsonNode request) {
        ObjectNode copy = request.deepCopy();
        ((ObjectNode) copy.path("params").path("message")).remove("messageId");
        return copy;
    }
}
