package run.codetether.agent.domain.ralph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/** Ralph through the real loop: scripted model, real gRPC tools server (files and bash) on loopback. */
class RalphToolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Passes while every story file written so far says "ok". */
    static final String VERIFY = "for f in US-*.txt; do [ -e \"$f\" ] || continue; grep -qx ok \"$f\" || "
            + "{ echo \"FAIL: $f is not ok\"; exit 1; }; done\n";

    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    static String story(String id, int priority, String... deps) {
        return "{\"id\":\"" + id + "\",\"title\":\"Title " + id + "\",\"description\":\"Do " + id + "\","
                + "\"acceptance_criteria\":[\"" + id + " works\"],\"passes\":false,\"priority\":" + priority
                + ",\"depends_on\":" + JSON.valueToTree(List.of(deps)) + ",\"complexity\":2}";
    }

    static String prd(String checks, String... stories) {
        return "{\"project\":\"demo\",\"feature\":\"Demo feature\",\"branch_name\":\"feature/demo\",\"owner\":\"team-x\","
                + "\"user_stories\":[" + String.join(",", stories) + "],\"quality_checks\":" + checks + "}";
    }

    Path ws(String contextId) {
        return h.tools.workspace(contextId);
    }

    void write(String contextId, String path, String content) throws Exception {
        Path p = ws(contextId).resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    JsonNode prdOn(String contextId, String path) throws Exception {
        return JSON.readTree(ws(contextId).resolve(path).toFile());
    }

    /** Calls ralph once per task: at the start, or after a canceled task's closed call. */
    static Reply callRalph(RecordedRequest req, Map<String, Object> args) {
        var results = req.toolResults();
        boolean fresh = results.isEmpty() || results.get(results.size() - 1).content().startsWith("Canceled:");
        return fresh ? Reply.tools(Reply.call("r1", "ralph", args)) : Reply.text("ralph is done");
    }

    /** The ralph result the top-level model read. */
    List<Map<String, Object>> ralphEvents(String taskId) {
        return h.events.of(taskId).stream().filter(e -> e instanceof TaskEvent.StatusChanged)
                .map(e -> ((TaskEvent.StatusChanged) e).metadata()).filter(m -> m.containsKey(MetadataKeys.RALPH_EVENT))
                .toList();
    }

    @Test
    void storiesRunInPriorityOrderAfterTheirDependenciesAndEachPassesItsChecks() throws Exception {
        write("c-1", "verify.sh", VERIFY);
        // US-A has the highest priority but waits for US-B; US-C comes last by priority
        write("c-1", "prd.json", prd("{\"typecheck\":\"true\",\"test\":\"bash verify.sh\"}",
                story("US-A", 1, "US-B"), story("US-B", 2), story("US-C", 3)));
        RalphScript script = new RalphScript(".", (s, n) -> "ok\n", r -> callRalph(r, Map.of("action", "run")));
        h.llm.respondWith(script);

        h.run(h.loop(new RalphTool(RalphSettings.defaults()), new PrdTool()),
                Commands.start("t-1", "c-1", "moonshotai", "implement the PRD"));

        assertEquals(List.of("US-B", "US-A", "US-C"), script.attempts);
        JsonNode prd = prdOn("c-1", "prd.json");
        prd.path("user_stories").forEach(s -> assertTrue(s.path("passes").asBoolean(), s.toString()));
        assertEquals("team-x", prd.path("owner").asText(), "fields Ralph does not know survive the rewrite");
        assertFalse(prd.path("updated_at").asText().isBlank());
        String progress = Files.readString(ws("c-1").resolve("progress.txt"));
        assertTrue(progress.contains("## Iteration 1 - US-B"), progress);
        assertTrue(progress.contains("## Iteration 2 - US-A"), progress);
        assertTrue(progress.contains("## Iteration 3 - US-C"), progress);
        assertTrue(progress.contains("**Status:** passed"), progress);
        assertTrue(progress.contains("- Learning: US-B lives in its own file."), progress);
        assertTrue(progress.contains("- test (`bash verify.sh`): passed"), progress);
        assertTrue(script.firstPrompts.get(0).contains("None yet"), "the first iteration has no memory yet");
        assertTrue(script.firstPrompts.get(1).contains("Iteration 1 - US-B"), "later iterations read progress.txt");
        String result = h.lastResult();
        assertTrue(result.startsWith("# Ralph Completed"), result);
        assertTrue(result.contains("**Progress:** 3/3 stories") && result.contains("**Iterations:** 3/10"), result);
        assertTrue(result.contains("- [x] US-A: Title US-A"), result);
        assertEquals(TaskState.COMPLETED, h.last("t-1").status().state());
        List<Map<String, Object>> events = ralphEvents("t-1");
        assertTrue(events.stream().anyMatch(m -> "story_started".equals(m.get("ralph_event"))
                && "US-B".equals(m.get("story_id")) && Integer.valueOf(1).equals(m.get("iteration"))), events.toString());
        assertTrue(events.stream().anyMatch(m -> "story_quality_check".equals(m.get("ralph_event"))
                && "test".equals(m.get("check_name")) && Boolean.TRUE.equals(m.get("passed"))), events.toString());
        assertTrue(events.stream().anyMatch(m -> "story_complete".equals(m.get("ralph_event"))
                && "US-C".equals(m.get("story_id")) && Long.valueOf(3).equals(m.get("passed_count"))), events.toString());
    }

    @Test
    void eachStoryReportsItsOwnTokensAndCostAndTheSummaryTheirSum() throws Exception {
        write("c-cost", "verify.sh", VERIFY);
        write("c-cost", "prd.json", prd("{\"test\":\"bash verify.sh\"}", story("US-1", 1), story("US-2", 2)));
        RalphScript script = new RalphScript(".", (s, n) -> "ok\n", r -> callRalph(r, Map.of("action", "run")));
        // each iteration makes two model calls (write the file, then answer), each with cached prompt tokens
        script.storyUsage = a -> a.withUsage(1_000_000, 100_000).withCache(4_000_000, 0);
        h.llm.respondWith(script);

        h.run(h.loop(new RalphTool(RalphSettings.defaults())), Commands.start("t-cost", "c-cost", "moonshotai", "go"));

        var price = run.codetether.contracts.models.ModelCatalog.builtIn().find("moonshotai", "kimi-k2.5")
                .orElseThrow().price();
        double perStory = 2 * price.cost(1_000_000, 100_000, 4_000_000, 0); // $0.60 + $0.25 + $0.60, twice
        assertEquals(2.90, perStory, 1e-9);
        List<Map<String, Object>> done = ralphEvents("t-cost").stream()
                .filter(m -> "story_complete".equals(m.get(MetadataKeys.RALPH_EVENT))).toList();
        assertEquals(2, done.size(), done::toString);
        assertTrue(done.stream().noneMatch(m -> m.containsKey(MetadataKeys.USAGE)),
                "a working update's usage is one model call's: clients sum those");
        for (Map<String, Object> m : done) {
            @SuppressWarnings("unchecked")
            Map<String, Object> usage = (Map<String, Object>) m.get(MetadataKeys.STORY_USAGE);
            assertEquals(2_000_000L, usage.get(MetadataKeys.TOKENS_IN), () -> m.get("story_id") + ": " + usage);
            assertEquals(200_000L, usage.get(MetadataKeys.TOKENS_OUT));
            assertEquals(8_000_000L, usage.get(MetadataKeys.CACHE_READ_TOKENS));
            assertEquals(true, usage.get(MetadataKeys.PRICED));
            assertEquals(Math.round(perStory * 100), Math.round((Double) usage.get(MetadataKeys.COST_USD) * 100),
                    () -> "story cost " + usage);
        }
        Map<String, Object> complete = ralphEvents("t-cost").stream()
                .filter(m -> "complete".equals(m.get(MetadataKeys.RALPH_EVENT))).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> total = (Map<String, Object>) complete.get(MetadataKeys.RALPH_USAGE);
        assertEquals(4_000_000L, total.get(MetadataKeys.TOKENS_IN));
        assertEquals(Math.round(2 * perStory * 100), Math.round((Double) total.get(MetadataKeys.COST_USD) * 100));
        String result = h.lastResult();
        assertTrue(result.contains("**Usage:** 20,400,000 tokens, $5.8000"), result);
        // the stories' calls are the task's too: its final usage holds them (beside the top-level calls)
        var taskUsage = h.last("t-cost").progress().usage();
        assertTrue(taskUsage.cacheReadTokens() == 16_000_000 && taskUsage.costUsd() > 2 * perStory, taskUsage::toString);
    }

    @Test
    void aFailingCheckKeepsTheStoryOpenAndTheNextIterationRetriesItWithTheFailureAsMemory() throws Exception {
        write("c-2", "verify.sh", VERIFY);
        write("c-2", "prd.json", prd("{\"test\":\"bash verify.sh\"}", story("US-1", 1)));
        RalphScript script = new RalphScript(".", (s, n) -> n == 1 ? "broken\n" : "ok\n",
                r -> callRalph(r, Map.of("action", "run", "max_iterations", 3)));
        h.llm.respondWith(script);

        h.run(h.loop(new RalphTool(RalphSettings.defaults())), Commands.start("t-2", "c-2", "moonshotai", "go"));

        assertEquals(List.of("US-1", "US-1"), script.attempts);
        String progress = Files.readString(ws("c-2").resolve("progress.txt"));
        assertTrue(progress.contains("## Iteration 1 - US-1") && progress.contains("**Status:** quality_failed"),
                progress);
        assertTrue(progress.contains("FAIL: US-1.txt is not ok"), progress);
        assertTrue(script.firstPrompts.get(1).contains("FAIL: US-1.txt is not ok"),
                "the retry sees why the checks failed");
        assertTrue(prdOn("c-2", "prd.json").path("user_stories").get(0).path("passes").asBoolean());
        String result = h.lastResult();
        assertTrue(result.startsWith("# Ralph Completed") && result.contains("**Iterations:** 2/3"), result);
        assertTrue(ralphEvents("t-2").stream().anyMatch(m -> "story_quality_check".equals(m.get("ralph_event"))
                && Boolean.FALSE.equals(m.get("passed"))));
    }

    @Test
    void theIterationBudgetStopsARunWhoseChecksNeverPass() throws Exception {
        write("c-3", "prd.json", prd("{\"test\":\"echo never green; exit 1\"}", story("US-1", 1), story("US-2", 2)));
        RalphScript script = new RalphScript(".", (s, n) -> "ok\n",
                r -> callRalph(r, Map.of("action", "run", "max_iterations", 2)));
        h.llm.respondWith(script);

        h.run(h.loop(new RalphTool(RalphSettings.defaults())), Commands.start("t-3", "c-3", "moonshotai", "go"));

        assertEquals(List.of("US-1", "US-1"), script.attempts, "the open story is retried, US-2 never starts");
        String result = h.lastResult();
        assertTrue(result.startsWith("# Ralph MaxIterations"), result);
        assertTrue(result.contains("**Progress:** 0/2 stories") && result.contains("**Iterations:** 2/2"), result);
        assertTrue(result.contains("## Incomplete Stories") && result.contains("- US-2: Title US-2"), result);
        prdOn("c-3", "prd.json").path("user_stories").forEach(s -> assertFalse(s.path("passes").asBoolean()));
        assertTrue(Files.readString(ws("c-3").resolve("progress.txt")).contains("never green"));
    }

    /**
     * In a workspace tools-service prepared (git cannot write from the sandbox), each passing story is one
     * CommitChanges on the workspace's branch, a failing check commits nothing, and the task ends with the
     * changes artifact of the whole run.
     */
    @Test
    void inAPreparedWorkspaceEachPassingStoryIsOneCommitChangesAndTheEndReportsTheWholeChange() throws Exception {
        write("c-w", "verify.sh", VERIFY);
        write("c-w", "prd.json", prd("{\"test\":\"bash verify.sh\"}", story("US-1", 1), story("US-2", 2)));
        RalphScript script = new RalphScript(".", (s, n) -> s.equals("US-2") && n == 1 ? "broken\n" : "ok\n",
                r -> Reply.text("unused"));
        h.llm.respondWith(script);
        run.codetether.agent.support.ScriptedWorkspaces ws = new run.codetether.agent.support.ScriptedWorkspaces();

        h.run(h.loop(ws, run.codetether.agent.domain.loop.WorkspaceSettings.defaults(),
                new RalphTool(RalphSettings.defaults())), Commands.skill("t-w", "c-w", "moonshotai", "go", "ralph", Map.of()));

        assertEquals(List.of("US-1", "US-2", "US-2"), script.attempts);
        assertEquals(List.of("feat(us-1): Title US-1", "feat(us-2): Title US-2"), ws.commits,
                "one commit per passing story, none for the failed attempt");
        assertEquals(TaskState.COMPLETED, h.finalOf("t-w").status().state());
        assertEquals(List.of("prepare", "commit", "commit", "changes"), ws.ops());
        assertTrue(ralphEvents("t-w").stream().anyMatch(m -> "git".equals(m.get("ralph_event"))
                && "US-2".equals(m.get("story_id"))), "the commit is reported");
        assertTrue(h.events.of("t-w").stream().anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals("changes")));
        assertFalse(Files.exists(ws("c-w").resolve(".git")), "nothing ran git in the sandbox");
    }

    static String git(Path repo, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=t",
                "-c", "user.email=t@t"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out.strip();
    }

    @Test
    void inAGitWorkTreeEachPassingStoryIsCommittedOnThePrdsBranch() throws Exception {
        Path repo = ws("c-g");
        write("c-g", "prd.json", prd("{\"test\":\"true\"}", story("US-1", 1), story("US-2", 2)));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "start");
        RalphScript script = new RalphScript(".", (s, n) -> "ok\n", r -> callRalph(r, Map.of("action", "run")));
        h.llm.respondWith(script);

        h.run(h.loop(new RalphTool(RalphSettings.defaults())), Commands.start("t-g", "c-g", "moonshotai", "go"));

        assertTrue(h.lastResult().startsWith("# Ralph Completed"), h.lastResult());
        assertEquals("feature/demo", git(repo, "rev-parse", "--abbrev-ref", "HEAD"));
        assertEquals("feat(us-2): Title US-2\nfeat(us-1): Title US-1\nstart", git(repo, "log", "--format=%s"));
        assertEquals("", git(repo, "status", "--porcelain"), "prd.json and progress.txt are committed with the story");
    }

    @Test
    void aQualityCheckThatOutlivesItsTimeoutFailsTheStory() throws Exception {
        write("c-9", "prd.json", prd("{\"build\":\"sleep 20\"}", story("US-1", 1)));
        RalphScript script = new RalphScript(".", (s, n) -> "ok\n",
                r -> callRalph(r, Map.of("action", "run", "max_iterations", 1)));
        h.llm.respondWith(script);

        h.run(h.loop(new RalphTool(RalphSettings.defaults().withCheckTimeout(Duration.ofSeconds(1)))),
                Commands.start("t-9", "c-9", "moonshotai", "go"));

        assertTrue(h.lastResult().startsWith("# Ralph MaxIterations"), h.lastResult());
        String progress = Files.readString(ws("c-9").resolve("progress.txt"));
        assertTrue(progress.contains("- build (`sleep 20`): FAILED") && progress.contains("TIMEOUT"), progress);
        assertFalse(prdOn("c-9", "prd.json").path("user_stories").get(0).path("passes").asBoolean());
    }

    @Test
    void anInvalidOrMissingPrdIsAClearErrorAndNothingRuns() throws Exception {
        write("c-4", "broken.json", "{\"project\": \"x\",\n \"feature\": ");
        write("c-4", "deps.json", prd("{}", story("US-1", 1, "US-9"), story("US-1", 2)));
        write("c-4", "nostories.json", "{\"project\":\"x\",\"feature\":\"y\",\"user_stories\":[{\"id\":\"US-1\"}]}");
        h.llm.respondWith(r -> r.toolResults().isEmpty() ? Reply.tools(
                Reply.call("a", "ralph", Map.of("action", "run", "prd_path", "broken.json")),
                Reply.call("b", "ralph", Map.of("action", "run", "prd_path", "missing.json")),
                Reply.call("c", "ralph", Map.of("action", "run", "prd_path", "deps.json")),
                Reply.call("d", "ralph", Map.of("action", "run", "prd_path", "nostories.json")),
                Reply.call("e", "ralph", Map.of("action", "run", "prd_path", "../outside.json")),
                Reply.call("f", "ralph", Map.of("action", "fly")))
                : Reply.text("gave up"));

        h.run(h.loop(new RalphTool(RalphSettings.defaults())), Commands.start("t-4", "c-4", "moonshotai", "go"));

        assertEquals(2, h.llm.requests().size(), "no iteration ran");
        var results = h.llm.requests().get(1).toolResults();
        assertTrue(results.get(0).content().startsWith("broken.json is not valid JSON"), results.get(0).content());
        assertTrue(results.get(0).content().contains("line 2"), results.get(0).content());
        assertTrue(results.get(1).content().startsWith("No PRD found at missing.json"), results.get(1).content());
        assertTrue(results.get(2).content().contains("Story US-1 depends on non-existent story: US-9"),
                results.get(2).content());
        assertTrue(results.get(2).content().contains("Duplicate story ID: US-1"), results.get(2).content());
        assertTrue(results.get(3).content().contains("user_stories[0]: missing required field 'title'"),
                results.get(3).content());
        assertTrue(results.get(4).content().contains("prd_path must be relative"), results.get(4).content());
        assertTrue(results.get(5).content().contains("Unknown action: fly"), results.get(5).content());
        assertFalse(Files.exists(ws("c-4").resolve("progress.txt")));
    }

    @Test
    void cancelStopsTheRunAndKeepsWhatPassedAndANewRunContinuesWithTheOpenStory() throws Exception {
        write("c-5", "prd.json", prd("{\"test\":\"true\"}", story("US-1", 1), story("US-2", 2)));
        TaskRun run = new TaskRun(Commands.start("t-5", "c-5", "moonshotai", "go"));
        RalphScript script = new RalphScript(".", (s, n) -> "ok\n", r -> callRalph(r, Map.of("action", "run")));
        script.onAttempt = story -> {
            if (story.equals("US-2")) {
                run.cancel("user stopped ralph");
            }
        };
        h.llm.respondWith(script);
        AgentLoop loop = h.loop(new RalphTool(RalphSettings.defaults()));
        Thread t = Thread.ofVirtual().start(() -> loop.run(run));
        t.join(Duration.ofSeconds(30));

        assertFalse(t.isAlive());
        TaskEvent.StatusChanged end = h.last("t-5");
        assertEquals(TaskState.CANCELED, end.status().state());
        assertTrue(end.status().message().text().contains("user stopped ralph"));
        JsonNode stories = prdOn("c-5", "prd.json").path("user_stories");
        assertTrue(stories.get(0).path("passes").asBoolean());
        assertFalse(stories.get(1).path("passes").asBoolean());
        assertFalse(Files.readString(ws("c-5").resolve("progress.txt")).contains("US-2"));

        // a new ralph call in a new task reads the files afresh and continues with the open story only
        script.onAttempt = story -> {};
        h.run(loop, Commands.start("t-5b", "c-5", "moonshotai", "go on"));
        assertEquals(List.of("US-1", "US-2", "US-2"), script.attempts, "US-1 is not implemented again");
        assertEquals(TaskState.COMPLETED, h.last("t-5b").status().state());
        assertTrue(h.lastResult().contains("**Progress:** 2/2 stories") && h.lastResult().contains("**Iterations:** 1/10"),
                h.lastResult());
    }

    static TaskCommand.StartTask skillTask(String taskId, String contextId, String text, Map<String, Object> meta) {
        return Commands.skill(taskId, contextId, "moonshotai", text, (String) meta.get("skill"), meta);
    }

    @Test
    void aTaskWithSkillRalphRunsTheNamedPrdWithoutAskingTheModelAndAnswersWithTheSummary() throws Exception {
        write("c-6", "features/search/verify.sh", VERIFY);
        write("c-6", "features/search/prd.json", prd("{\"test\":\"bash verify.sh\"}", story("US-1", 1),
                story("US-2", 2, "US-1")));
        RalphScript script = new RalphScript("features/search", (s, n) -> "ok\n",
                r -> Reply.text("the top-level model must not be asked"));
        h.llm.respondWith(script);

        h.run(h.loop(new RalphTool(RalphSettings.defaults()), new PrdTool()), skillTask("t-6", "c-6",
                "Please run ralph on features/search/prd.json", Map.of("skill", "ralph")));

        assertEquals(List.of("US-1", "US-2"), script.attempts);
        assertEquals(4, h.llm.requests().size(), "two model calls per story, none for the task itself");
        assertTrue(Files.exists(ws("c-6").resolve("features/search/US-1.txt")));
        assertTrue(Files.readString(ws("c-6").resolve("features/search/progress.txt")).contains("Iteration 2 - US-2"));
        TaskEvent.StatusChanged end = h.last("t-6");
        assertEquals(TaskState.COMPLETED, end.status().state());
        String answer = h.finalText("t-6");
        assertTrue(answer.startsWith("# Ralph Completed") && answer.contains("**Progress:** 2/2 stories"), answer);
        assertTrue(h.events.of("t-6").stream().flatMap(e -> e.unfolded().stream()).anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().parts().get(0) instanceof Part.Text p && p.text().contains("- [x] US-2")));
        assertTrue(ralphEvents("t-6").stream().anyMatch(m -> "story_complete".equals(m.get("ralph_event"))
                && "US-2".equals(m.get("story_id")) && "features/search/prd.json".equals(m.get("prd_path"))));
    }

    @Test
    void aSkillTaskWhosePrdIsInvalidFailsWithTheReason() {
        h.llm.respondWith(r -> Reply.text("must not be asked"));
        h.run(h.loop(new RalphTool(RalphSettings.defaults())),
                skillTask("t-7", "c-7", "run ralph", Map.of("skill", "ralph")));
        TaskEvent.StatusChanged end = h.last("t-7");
        assertEquals(TaskState.FAILED, end.status().state());
        assertTrue(end.status().message().text().startsWith("No PRD found at prd.json"), end.status().message().text());
        assertEquals(0, h.llm.requests().size());
    }

    @Test
    void aRunCutOffByAWorkerDeathContinuesWithoutRedoingFinishedWork() throws Exception {
        write("c-8", "prd.json", prd("{\"test\":\"true\"}", story("US-1", 1), story("US-2", 2)));
        TaskCommand.StartTask cmd = skillTask("t-8", "c-8", "ralph", Map.of("skill", "ralph"));
        TaskRun first = new TaskRun(cmd);
        RalphScript script = new RalphScript(".", (s, n) -> "ok\n", r -> Reply.text("not asked"));
        script.onAttempt = story -> {
            if (story.equals("US-2") && script.attempts("US-2") == 1) {
                first.abandon(); // the worker loses the task while US-2's agent works
            }
        };
        h.llm.respondWith(script);
        AgentLoop loop = h.loop(new RalphTool(RalphSettings.defaults()));
        loop.run(first);
        assertTrue(h.events.of("t-8").stream().noneMatch(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() != TaskState.WORKING), "an abandoned run publishes no end state");

        loop.run(new TaskRun(cmd)); // another worker picks the task up

        assertEquals(1, script.attempts("US-1"), "the finished story is not implemented again");
        assertEquals(1, h.tools.appliedCount("c-8", "loop:t-8:ralph:t-8:skill-t-8:US-1:1:check:0"),
                "its check is replayed, not run again");
        String progress = Files.readString(ws("c-8").resolve("progress.txt"));
        assertEquals(1, progress.split("## Iteration 1 - US-1", -1).length - 1, progress);
        assertTrue(progress.contains("## Iteration 2 - US-2"), progress);
        assertEquals(TaskState.COMPLETED, h.last("t-8").status().state());
        assertTrue(h.finalText("t-8").contains("**Progress:** 2/2 stories"));
    }
}
