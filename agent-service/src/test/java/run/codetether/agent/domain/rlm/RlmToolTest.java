package run.codetether.agent.domain.rlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.infra.llm.LangChain4jProviders;
import run.codetether.agent.infra.llm.ProviderSettings;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.mcp.McpTestTools;
import run.codetether.platform.secrets.FileSecretSource;

/**
 * RLM end to end in the loop: the scripted model drives the REPL over a file far larger than its context window
 * (4,000 tokens here), read through the test gRPC tools-service.
 */
class RlmToolTest {
    static final int WINDOW = 4_000;
    static final int FILE_LINES = 40_000;
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    AgentLoop loop(RlmSettings settings) {
        return h.loop(h.providers(WINDOW), new RlmTool(settings));
    }

    /** ~1.3 MB: line-000001 ... with one secret line; ~330k tokens against a 4k window. */
    String bigFile(String contextId) throws Exception {
        String text = IntStream.rangeClosed(1, FILE_LINES)
                .mapToObj(i -> i == 31_337 ? "SECRET_TOKEN=kiwi-4242" : "line-%06d filler text here".formatted(i))
                .collect(Collectors.joining("\n")) + "\n";
        Files.writeString(h.tools.workspace(contextId).resolve("big.log"), text);
        return text;
    }

    static Reply.ToolCall call(String id, String name, Map<String, Object> args) {
        return Reply.call(id, name, args);
    }

    void assertNeverSentWhole(String file) {
        for (RecordedRequest r : h.llm.requests()) {
            assertTrue(r.rawBody().length() < 60_000, "a request carried " + r.rawBody().length() + " chars");
            assertFalse(r.bodyText().contains("line-020000"), "an unrequested part of the file reached the model");
        }
        assertTrue(file.length() > 1_000_000);
    }

    @Test
    void aFileFarLargerThanTheWindowIsAnsweredThroughReplSteps() throws Exception {
        String file = bigFile("c-big");
        h.llm.enqueue(
                Reply.tools(call("m1", "rlm", Map.of("action", "analyze", "query", "What is the SECRET_TOKEN?",
                        "paths", List.of("big.log")))),
                Reply.tools(call("r1", "rlm_count", Map.of("pattern", "SECRET_TOKEN"))),
                Reply.tools(call("r2", "rlm_grep", Map.of("pattern", "SECRET_TOKEN=\\S+"))),
                Reply.text("Let me look at the start too.\n```\nhead(2)\nslice(0, 4)\n```"),
                Reply.tools(call("r4", "rlm_final", Map.of("answer", "The token is kiwi-4242 (line 31337)"))),
                Reply.text("SECRET_TOKEN is kiwi-4242"));
        h.run(loop(RlmSettings.defaults()), Commands.start("t-big", "c-big", "moonshotai", "find the token"));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(6, reqs.size());
        assertTrue(reqs.get(0).toolNames().contains("rlm"), "the rlm tool is offered");
        assertEquals(List.of("rlm_head", "rlm_tail", "rlm_grep", "rlm_count", "rlm_slice", "rlm_llm_query", "rlm_final"),
                reqs.get(1).toolNames());
        assertTrue(reqs.get(1).bodyText().contains("chars, " + FILE_LINES + " lines"), "the model is told the size");
        assertEquals("1", LoopHarness.lastResult(reqs.get(2)));
        assertEquals("31337:SECRET_TOKEN=kiwi-4242", LoopHarness.lastResult(reqs.get(3)));
        assertTrue(reqs.get(4).bodyText().contains("Execution result:\\nline-000001 filler text here\\nline-000002 filler"
                + " text here\\nline"), "the text-DSL outputs reach the model");
        String answer = LoopHarness.lastResult(reqs.get(5));
        assertTrue(answer.startsWith("[RLM: "), answer);
        assertTrue(answer.contains("| 4 iterations | 0 sub-calls]"), answer);
        assertTrue(answer.endsWith("The token is kiwi-4242 (line 31337)"), answer);
        assertNeverSentWhole(file);
        assertEquals(TaskState.COMPLETED, h.last("t-big").status().state());
        assertTrue(h.events.of("t-big").stream().anyMatch(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().message() != null && s.status().message().text().startsWith("RLM on big.log: iteration 3/15")),
                "progress reaches the A2A client");
    }

    @Test
    void aSubQueryOnALongSliceIsAnalysedRecursivelyAndAShortOneIsAPlainSubCall() throws Exception {
        bigFile("c-rec");
        h.llm.enqueue(
                Reply.tools(call("m1", "rlm", Map.of("action", "summarize", "paths", List.of("big.log")))),
                // depth 0: ask about the whole file: too long for a plain sub-call, so a nested analysis runs
                Reply.tools(call("r1", "rlm_llm_query", Map.of("query", "what is in this file?"))),
                // depth 1: a chunk small enough for a plain sub-call
                Reply.text("```\nx = chunk(0, 400)\nllm_query(\"summarise\", x)\n```"),
                Reply.text("PART-ZERO-SUMMARY"),
                Reply.tools(call("n2", "rlm_final", Map.of("answer", "nested saw PART-ZERO-SUMMARY"))),
                Reply.tools(call("r2", "rlm_final", Map.of("answer", "root got: nested saw PART-ZERO-SUMMARY"))),
                Reply.text("done"));
        h.run(loop(RlmSettings.defaults()), Commands.start("t-rec", "c-rec", "moonshotai", "summarise big.log"));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(7, reqs.size());
        assertTrue(reqs.get(2).bodyText().contains("nested analysis at depth 1"), "depth 1 runs its own analysis");
        RecordedRequest plain = reqs.get(3);
        assertTrue(plain.toolNames().isEmpty());
        assertTrue(plain.bodyText().contains(RlmEngine.SUB_SYSTEM));
        assertTrue(plain.bodyText().contains("line-000100 filler"), "the plain sub-call sees its chunk");
        assertFalse(plain.bodyText().contains("line-000101 filler"), "and only its chunk");
        assertTrue(reqs.get(4).bodyText().contains("llm_query result: PART-ZERO-SUMMARY"));
        assertEquals("nested saw PART-ZERO-SUMMARY", LoopHarness.lastResult(reqs.get(5)));
        String answer = LoopHarness.lastResult(reqs.get(6));
        assertTrue(answer.contains("| 4 iterations | 2 sub-calls]"), answer);
        assertTrue(answer.endsWith("root got: nested saw PART-ZERO-SUMMARY"), answer);
        assertNeverSentWhole(Files.readString(h.tools.workspace("c-rec").resolve("big.log")));
    }

    @Test
    void atTheDepthLimitASubQueryGetsACutSliceAndSaysSo() throws Exception {
        bigFile("c-depth");
        h.llm.enqueue(
                Reply.tools(call("m1", "rlm", Map.of("action", "analyze", "query", "q", "paths", List.of("big.log"),
                        "max_depth", 1))),
                Reply.tools(call("r1", "rlm_llm_query", Map.of("query", "what is in this file?"))),
                Reply.text("FIRST-PART-ONLY"),
                Reply.tools(call("r2", "rlm_final", Map.of("answer", "partial"))),
                Reply.text("done"));
        h.run(loop(RlmSettings.defaults()), Commands.start("t-depth", "c-depth", "moonshotai", "q"));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(5, reqs.size());
        assertTrue(reqs.get(2).bodyText().contains("chars total]"), "the sub-call's context is cut");
        assertTrue(reqs.get(2).rawBody().length() < 20_000);
        String sub = LoopHarness.lastResult(reqs.get(3));
        assertTrue(sub.startsWith("[depth limit 1 reached: the sub-model saw only the first 7500 of "), sub);
        assertTrue(sub.endsWith("FIRST-PART-ONLY"), sub);
    }

    @Test
    void theIterationLimitEndsTheRunWithAClearError() throws Exception {
        bigFile("c-it");
        h.llm.enqueue(
                Reply.tools(call("m1", "rlm", Map.of("action", "search", "query", "token", "paths", List.of("big.log")))),
                Reply.tools(call("r1", "rlm_head", Map.of("n", 1))),
                Reply.tools(call("r2", "rlm_tail", Map.of("n", 1))),
                Reply.text("gave up"));
        h.run(loop(RlmSettings.defaults().withMaxIterations(2)), Commands.start("t-it", "c-it", "moonshotai", "q"));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(4, reqs.size(), "exactly two RLM iterations ran");
        String result = LoopHarness.lastResult(reqs.get(3));
        assertTrue(result.startsWith("RLM reached its iteration limit (2, codetether.agent.rlm.max-iterations)"), result);
        assertTrue(result.endsWith("line-040000 filler text here"), "the last output is kept: " + result);
    }

    @Test
    void olderOutputsAreElidedSoTheConversationStaysInsideTheWindow() throws Exception {
        bigFile("c-fit");
        h.llm.enqueue(Reply.tools(call("m1", "rlm", Map.of("action", "analyze", "query", "q", "paths", List.of("big.log")))));
        for (int i = 0; i < 8; i++) {
            h.llm.enqueue(Reply.tools(call("r" + i, "rlm_slice", Map.of("start", i * 1_000, "end", i * 1_000 + 1_000))));
        }
        h.llm.enqueue(Reply.tools(call("f", "rlm_final", Map.of("answer", "fine"))), Reply.text("done"));
        h.run(loop(RlmSettings.defaults()), Commands.start("t-fit", "c-fit", "moonshotai", "q"));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(11, reqs.size());
        RecordedRequest late = reqs.get(9);
        assertTrue(late.bodyText().contains(RlmEngine.ELIDED), "the oldest outputs were elided");
        assertTrue(late.bodyText().contains("line-007001 filler"), "the newest output is kept");
        assertTrue(late.toolResults().get(late.toolResults().size() - 1).content().contains("[output cut at 1600 of "),
                "each output is cut at a tenth of the window");
        for (RecordedRequest r : reqs.subList(1, 10)) {
            assertTrue(r.rawBody().length() < WINDOW * 4, "an RLM request outgrew the window: " + r.rawBody().length());
        }
    }

    @Test
    void theSubCallLimitIsAnErrorTheModelReads() throws Exception {
        h.llm.enqueue(
                Reply.tools(call("m1", "rlm", Map.of("action", "analyze", "query", "q", "content", "some text"))),
                Reply.tools(call("r1", "rlm_llm_query", Map.of("query", "a")), call("r2", "rlm_llm_query", Map.of("query", "b"))),
                Reply.text("sub answer a"),
                Reply.tools(call("r3", "rlm_final", Map.of("answer", "ok"))),
                Reply.text("done"));
        h.run(loop(RlmSettings.defaults().withMaxSubcalls(1)), Commands.start("t-sub", "c-sub", "moonshotai", "q"));
        var results = h.llm.requests().get(3).toolResults();
        assertEquals("sub answer a", results.get(results.size() - 2).content());
        assertTrue(results.get(results.size() - 1).content().contains("sub-call limit reached (1"),
                results.get(results.size() - 1).content());
    }

    @Test
    void badToolArgumentsGetClearErrors() throws Exception {
        h.llm.enqueue(
                Reply.tools(
                        call("b1", "rlm", Map.of("action", "explode", "content", "x")),
                        call("b2", "rlm", Map.of("action", "analyze", "content", "x")),
                        call("b3", "rlm", Map.of("action", "summarize")),
                        call("b4", "rlm", Map.of("action", "summarize", "content", "x", "max_depth", 0)),
                        call("b5", "rlm", Map.of("action", "summarize", "paths", List.of("missing.txt"))),
                        call("b6", "rlm", Map.of("action", "summarize", "paths", List.of(""))),
                        call("b7", "rlm", Map.of("query", "no action"))),
                Reply.text("ok"));
        h.run(loop(RlmSettings.defaults()), Commands.start("t-bad", "c-bad", "moonshotai", "q"));
        var results = h.llm.requests().get(1).toolResults();
        assertEquals(7, results.size(), h.last("t-bad") + " " + h.llm.requests().size());
        assertEquals("Unknown action: explode. Use 'analyze', 'summarize', or 'search'.", results.get(0).content());
        assertEquals("query is required for 'analyze' action", results.get(1).content());
        assertEquals("Either 'paths' or 'content' is required", results.get(2).content());
        assertEquals("rlm: 'max_depth' must be an integer >= 1", results.get(3).content());
        assertTrue(results.get(4).content().startsWith("rlm: nothing to analyze: missing.txt: "), results.get(4).content());
        assertEquals("rlm: every entry of 'paths' must be a non-empty string", results.get(5).content());
        assertTrue(results.get(6).content().contains("action"), results.get(6).content());
        assertEquals(2, h.llm.requests().size(), "no RLM model call for a bad call");
    }

    @Test
    void cancelStopsAnRlmRunMidAnalysis() throws Exception {
        bigFile("c-cx");
        h.llm.enqueue(
                Reply.tools(call("m1", "rlm", Map.of("action", "analyze", "query", "q", "paths", List.of("big.log")))),
                Reply.tools(call("r1", "rlm_head", Map.of("n", 1))),
                Reply.text("too late").withDelay(Duration.ofSeconds(30)));
        TaskRun run = new TaskRun(Commands.start("t-cx", "c-cx", "moonshotai", "q"));
        AgentLoop loop = loop(RlmSettings.defaults());
        Thread t = Thread.ofVirtual().start(() -> loop.run(run));
        while (h.llm.requests().size() < 3) {
            Thread.sleep(5);
        }
        run.cancel("user stopped it");
        t.join(Duration.ofSeconds(10));
        assertFalse(t.isAlive(), "the run ended");
        TaskEvent.StatusChanged end = h.last("t-cx");
        assertEquals(TaskState.CANCELED, end.status().state());
        assertTrue(end.status().message().text().contains("user stopped it"));
        assertEquals(3, h.llm.requests().size(), "no model call after the cancel");
    }

    @Test
    void skillRlmAnswersTheTaskFromTheMessageAndTheFilesItNames() throws Exception {
        String file = bigFile("c-skill");
        h.llm.enqueue(
                Reply.tools(call("r1", "rlm_grep", Map.of("pattern", "SECRET"))),
                Reply.tools(call("r2", "rlm_final", Map.of("answer", "kiwi-4242"))));
        var msg = Commands.user("What is the SECRET_TOKEN in big.log? Also see notes.md.");
        h.run(loop(RlmSettings.defaults()), new TaskCommand.StartTask("t-skill", "c-skill", null, msg, "moonshotai", null,
                "rlm", null, null, null, Map.of(), null));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(2, reqs.size(), "the RLM run answers: no normal-loop model call");
        assertTrue(reqs.get(0).toolNames().contains("rlm_grep"));
        assertFalse(reqs.get(0).toolNames().contains("rlm"), "the first call is the RLM loop, not the agent loop");
        assertTrue(reqs.get(0).bodyText().contains("Analyze and answer: What is the SECRET_TOKEN in big.log?"));
        assertTrue(LoopHarness.lastResult(reqs.get(1)).contains(":SECRET_TOKEN=kiwi-4242"), "big.log was loaded");
        assertNeverSentWhole(file);
        TaskEvent.StatusChanged end = h.last("t-skill");
        assertEquals(TaskState.COMPLETED, end.status().state());
        assertTrue(h.finalText("t-skill").endsWith("kiwi-4242"));
        assertTrue(h.events.of("t-skill").stream().flatMap(e -> e.unfolded().stream()).anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals("answer")), "the answer artifact is published");
    }

    /** A skill=rlm task whose message carries a screenshot inline, on {@code provider}/{@code model}. */
    TaskEvent.StatusChanged rlmWithAnImage(String task, String provider, String model) throws Exception {
        Map<String, ProviderSettings> s = new HashMap<>();
        s.put(provider, ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()).withContextWindow(WINDOW));
        Map<String, Map<String, String>> keys = new HashMap<>(Providers.allKeys());
        keys.put(provider, Map.of("api_key", "sk-" + provider + "-test-0123456789"));
        Providers.write(h.secrets, keys);
        var providers = new LangChain4jProviders(s, Optional.empty(), new FileSecretSource(h.secrets), 0,
                Duration.ofSeconds(1));
        h.llm.enqueue(Reply.tools(call("r1", "rlm_final", Map.of("answer", "a red button labelled OK"))));
        var msg = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of("What does the screen show?"),
                new Part.File("screen.png", "image/png", McpTestTools.PNG_BASE64, null, Map.of())), null, null, null,
                null, Map.of());
        h.run(h.loop(providers, new RlmTool(RlmSettings.defaults())), new TaskCommand.StartTask(task, "c-" + task, null,
                msg, provider, model, "rlm", null, null, null, Map.of(), null));
        return h.last(task);
    }

    @Test
    void skillRlmSendsTheMessagesImageWithTheQueryToAVisionModel() throws Exception {
        TaskEvent.StatusChanged end = rlmWithAnImage("t-img", "openai", "gpt-4o");
        RecordedRequest first = h.llm.requests().get(0);
        assertTrue(first.bodyText().contains("data:image/png;base64," + McpTestTools.PNG_BASE64), first::bodyText);
        assertTrue(first.bodyText().contains("(1 image of the request attached)"), first::bodyText);
        assertFalse(first.bodyText().contains("=== screen.png ==="), "the image is not decoded into the text content");
        assertEquals(TaskState.COMPLETED, end.status().state());
        String answer = h.finalText("t-img");
        assertTrue(answer.contains("(images sent to gpt-4o with the query: screen.png (image/png, 70 bytes))"), answer);
        assertTrue(answer.endsWith("a red button labelled OK"), answer);
    }

    @Test
    void skillRlmOnAModelThatReadsNoImagesSaysItCouldNotAnalyseThem() throws Exception {
        TaskEvent.StatusChanged end = rlmWithAnImage("t-noimg", "moonshotai", null);
        RecordedRequest first = h.llm.requests().get(0);
        assertFalse(first.bodyText().contains(McpTestTools.PNG_BASE64), "no image data to a text-only model");
        assertFalse(first.bodyText().contains("=== screen.png ==="), "nor the image decoded as text");
        String answer = h.finalText("t-noimg");
        assertTrue(answer.contains("(images not analysed: moonshotai/kimi-k2.5 reads no images (no vision flag in the "
                + "model catalog) and RLM reads text only; send the task to a vision model to analyse screen.png "
                + "(image/png, 70 bytes))"), answer);
    }

    @Test
    void oversizedToolOutputIsRoutedThroughRlmWhenSwitchedOn() throws Exception {
        String file = bigFile("c-route");
        h.llm.enqueue(
                Reply.tools(call("m1", "read_file", Map.of("path", "big.log"))),
                Reply.tools(call("r1", "rlm_grep", Map.of("pattern", "SECRET"))),
                Reply.tools(call("r2", "rlm_final", Map.of("answer", "a log of filler lines with one SECRET_TOKEN"))),
                Reply.text("done"));
        h.run(loop(RlmSettings.defaults().withRouting(RlmSettings.Mode.AUTO, true)),
                Commands.start("t-route", "c-route", "moonshotai", "read big.log"));

        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(4, reqs.size());
        assertTrue(reqs.get(1).bodyText().contains("Summarize the key contents of file \\\"big.log\\\""));
        String seen = LoopHarness.lastResult(reqs.get(3));
        assertTrue(seen.startsWith("[RLM: "), seen);
        assertTrue(seen.endsWith("a log of filler lines with one SECRET_TOKEN"), seen);
        assertNeverSentWhole(file);
    }

    @Test
    void smallOutputsAndTheDefaultSettingsAreNotRouted() throws Exception {
        Files.writeString(h.tools.workspace("c-small").resolve("small.txt"), "tiny");
        bigFile("c-small");
        h.llm.enqueue(
                Reply.tools(call("m1", "read_file", Map.of("path", "small.txt"))),
                Reply.text("done"),
                Reply.tools(call("m2", "read_file", Map.of("path", "big.log"))),
                Reply.text("done"));
        h.run(loop(RlmSettings.defaults().withRouting(RlmSettings.Mode.AUTO, true)),
                Commands.start("t-small", "c-small", "moonshotai", "read small"));
        assertEquals("tiny", LoopHarness.lastResult(h.llm.requests().get(1)));
        h.run(loop(RlmSettings.defaults()), Commands.start("t-off", "c-small", "moonshotai", "read big"));
        assertEquals(4, h.llm.requests().size(), "route-tool-output is off by default: no RLM call");
        assertTrue(LoopHarness.lastResult(h.llm.requests().get(3)).contains("line-020000"));
    }
}
