package run.codetether.agent.domain.ralph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/** The prd tool through the real loop: drafting with the model, validation, saving for ralph. */
class PrdToolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DRAFTER = "You turn a software task into a PRD";

    final AtomicInteger tasks = new AtomicInteger();
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    /** Runs one turn in which the model makes the given calls (prd unless {@code _tool} says otherwise) and
     * returns their results in order; {@code drafter} answers the prd tool's own model calls. */
    @SafeVarargs
    final List<RecordedRequest.ToolResult> callsWith(String contextId,
            java.util.function.Function<RecordedRequest, Reply> drafter, Map<String, Object>... args) {
        AtomicInteger top = new AtomicInteger();
        h.llm.respondWith(r -> {
            if (r.bodyText().contains(DRAFTER)) {
                return drafter.apply(r);
            }
            if (top.getAndIncrement() == 0) {
                Reply.ToolCall[] cs = new Reply.ToolCall[args.length];
                for (int i = 0; i < args.length; i++) {
                    String tool = (String) args[i].getOrDefault("_tool", "prd");
                    Map<String, Object> a = new java.util.LinkedHashMap<>(args[i]);
                    a.remove("_tool");
                    cs[i] = Reply.call("c" + i, tool, a);
                }
                return Reply.tools(cs);
            }
            return Reply.text("done");
        });
        h.run(h.loop(new PrdTool(), new RalphTool(RalphSettings.defaults())),
                Commands.start("t-" + contextId + "-" + tasks.incrementAndGet(), contextId, "moonshotai", "plan it"));
        List<RecordedRequest> reqs = h.llm.requests();
        List<RecordedRequest.ToolResult> all = reqs.get(reqs.size() - 1).toolResults();
        return all.subList(all.size() - args.length, all.size()); // earlier tasks of the context come first
    }

    static Map<String, Object> story(String id, String... deps) {
        return Map.of("id", id, "title", "Title " + id, "description", "Do " + id, "acceptance_criteria",
                List.of(id + " works"), "depends_on", List.of(deps));
    }

    @Test
    void analyzeAsksTheQuestionsAPrdNeeds() {
        var results = callsWith("c-a", r -> null, Map.of("action", "analyze", "task_description", "Add search"),
                Map.of("action", "analyze"));
        assertTrue(results.get(0).content().contains("## Questions to Answer"), results.get(0).content());
        assertTrue(results.get(0).content().contains("Add search"));
        assertEquals("task_description is required for analyze", results.get(1).content());
    }

    @Test
    void aDraftFromATaskDescriptionIsParsedValidatedAndCanBeSavedForRalph() throws Exception {
        String draft = "Here it is:\n```json\n{\"project\":\"shop\",\"feature\":\"Search\",\"stories\":["
                + "{\"id\":\"US-001\",\"title\":\"Index\",\"description\":\"Build the index\","
                + "\"acceptance_criteria\":[\"index exists\"],\"priority\":1,\"depends_on\":[],\"complexity\":2},"
                + "{\"id\":\"US-002\",\"title\":\"Query\",\"description\":\"Query it\",\"acceptance_criteria\":"
                + "[\"finds items\"],\"priority\":2,\"depends_on\":[\"US-001\"],\"complexity\":3,\"passes\":true}],"
                + "\"quality_checks\":{\"test\":\"mvn -q test\"}}\n```";
        var results = callsWith("c-g", r -> Reply.text(draft),
                Map.of("action", "generate", "task_description", "Add product search to the shop"));
        String out = results.get(0).content();
        assertTrue(out.startsWith("# Generated PRD") && out.contains("Drafted by the model"), out);
        JsonNode prd = JSON.readTree(out.substring(out.indexOf("```json") + 7, out.lastIndexOf("```")));
        assertEquals("Search", prd.path("feature").asText());
        assertEquals("feature/search", prd.path("branch_name").asText());
        assertEquals("US-001", prd.path("user_stories").get(1).path("depends_on").get(0).asText());
        assertFalse(prd.path("user_stories").get(1).path("passes").asBoolean(), "a new PRD starts open");
        assertEquals("mvn -q test", prd.path("quality_checks").path("test").asText());
        assertTrue(h.llm.requests().stream().anyMatch(r -> r.bodyText().contains("Add product search to the shop")
                && r.bodyText().contains(DRAFTER)), "the model drafted from the task description");

        h.llm.reset();
        var saved = callsWith("c-g", r -> null, Map.of("action", "save", "prd_json", prd.toString()),
                Map.of("_tool", "ralph", "action", "status"));
        assertTrue(saved.get(0).content().startsWith("PRD saved to: prd.json"), saved.get(0).content());
        assertTrue(saved.get(1).content().contains("**Progress:** 0/2 stories"), saved.get(1).content());
        assertEquals("shop", JSON.readTree(h.tools.workspace("c-g").resolve("prd.json").toFile()).path("project").asText());
    }

    @Test
    void aDraftThatIsNotAValidPrdIsSentBackOnceThenRefusedWithTheReason() {
        String cyclic = "{\"project\":\"p\",\"feature\":\"f\",\"stories\":["
                + "{\"id\":\"A\",\"title\":\"a\",\"description\":\"d\",\"depends_on\":[\"B\"]},"
                + "{\"id\":\"B\",\"title\":\"b\",\"description\":\"d\",\"depends_on\":[\"A\"]}]}";
        AtomicInteger drafts = new AtomicInteger();
        var results = callsWith("c-x", r -> {
            drafts.incrementAndGet();
            return Reply.text(drafts.get() == 1 ? "no json here" : cyclic);
        }, Map.of("action", "generate", "task_description", "something"));
        String out = results.get(0).content();
        assertEquals(2, drafts.get());
        assertTrue(out.contains("not a valid PRD after 2 attempts") && out.contains("Circular dependency detected"),
                out);
        assertTrue(h.llm.requests().stream().anyMatch(r -> r.bodyText().contains("the answer holds no JSON object")),
                "the second attempt was told what was wrong with the first");
    }

    @Test
    void validateReportsErrorsAndWarningsFromStoriesJsonOrFile() throws Exception {
        Files.writeString(h.tools.workspace("c-v").resolve("bad.json"), "{\"project\":\"p\",\"feature\":\"f\","
                + "\"user_stories\":[{\"id\":\"A\",\"title\":\"a\",\"description\":\"d\",\"depends_on\":[\"Q\"]}]}");
        var results = callsWith("c-v", r -> null,
                Map.of("action", "validate", "project", "p", "feature", "f", "stories",
                        List.of(story("US-1"), story("US-2", "US-1"))),
                Map.of("action", "validate", "prd_path", "bad.json"),
                Map.of("action", "validate", "prd_json", "{\"project\":1}"),
                Map.of("action", "validate"),
                Map.of("action", "save", "project", "p", "feature", "f", "stories", List.of(story("A", "A"))));
        assertTrue(results.get(0).content().startsWith("# PRD Validation: PASSED"), results.get(0).content());
        assertTrue(results.get(0).content().contains("Execution stages: 2"), results.get(0).content());
        assertTrue(results.get(0).content().contains("No quality checks defined"), results.get(0).content());
        assertTrue(results.get(1).content().startsWith("# PRD Validation: FAILED")
                && results.get(1).content().contains("Story A depends on non-existent story: Q"), results.get(1).content());
        assertTrue(results.get(2).content().contains("prd_json: 'project' must be a string"), results.get(2).content());
        assertEquals("validate requires one of: prd_json, prd_path, or stories", results.get(3).content());
        assertTrue(results.get(4).content().contains("PRD not saved") && results.get(4).content()
                .contains("Story A depends on itself"), results.get(4).content());
        assertFalse(Files.exists(h.tools.workspace("c-v").resolve("prd.json")), "an invalid PRD is not written");
    }

    @Test
    void createPrdWritesTheTemplateButNeverOverwrites() throws Exception {
        var results = callsWith("c-t", r -> null,
                Map.of("_tool", "ralph", "action", "create-prd", "project", "shop", "feature", "Fast Search"),
                Map.of("_tool", "ralph", "action", "create-prd", "project", "other"));
        assertTrue(results.get(0).content().startsWith("# PRD Created"), results.get(0).content());
        JsonNode prd = JSON.readTree(h.tools.workspace("c-t").resolve("prd.json").toFile());
        assertEquals("feature/fast-search", prd.path("branch_name").asText());
        assertEquals("US-001", prd.path("user_stories").get(0).path("id").asText());
        assertTrue(results.get(1).content().contains("already exists"), results.get(1).content());
        assertEquals("shop", JSON.readTree(h.tools.workspace("c-t").resolve("prd.json").toFile()).path("project").asText());
    }
}
