package run.codetether.agent.domain.ralph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** prd.json parsing, the story order, the rewrite and validation (plain Java, no loop). */
class PrdFileTest {

    static final String SNAKE = """
            {"project":"p","feature":"f","branch_name":"feature/f","extra":{"keep":1},
             "user_stories":[
              {"id":"US-1","title":"one","description":"d","acceptance_criteria":["a"],"priority":2,"complexity":1},
              {"id":"US-2","title":"two","description":"d","priority":1,"depends_on":["US-1"]},
              {"id":"US-3","title":"three","description":"d","priority":2,"complexity":4,"passes":true},
              {"id":"US-4","title":"four","description":"d","priority":2,"complexity":2}],
             "quality_checks":{"test":"mvn test","build":"mvn package","typecheck":"mvn compile"}}""";

    @Test
    void theNextStoryIsTheHighestPriorityOpenOneWhoseDependenciesPassThenTheSimplest() throws Exception {
        Prd prd = PrdFile.parse("prd.json", SNAKE).prd();
        assertEquals(1, prd.passedCount());
        assertEquals("US-1", prd.nextStory().orElseThrow().id(), "US-2 waits for US-1; US-1 is simpler than US-4");
        Prd after = prd.markPassed("US-1");
        assertEquals("US-2", after.nextStory().orElseThrow().id());
        assertEquals(List.of("typecheck", "test", "build"),
                prd.qualityChecks().ordered().stream().map(Map.Entry::getKey).toList(), "the original's order");
        assertEquals(2, prd.stages().size());
    }

    @Test
    void camelCaseFieldsAndDependenciesAreReadAsAliases() throws Exception {
        Prd prd = PrdFile.parse("prd.json", """
                {"project":"p","feature":"f","branchName":"b","userStories":[
                 {"id":"A","title":"t","description":"d","acceptanceCriteria":["x"]},
                 {"id":"B","title":"t","description":"d","dependencies":["A"]}],
                 "qualityChecks":{"lint":"eslint ."}}""").prd();
        assertEquals("b", prd.branchName());
        assertEquals(List.of("x"), prd.userStories().get(0).acceptanceCriteria());
        assertEquals(List.of("A"), prd.userStories().get(1).dependsOn());
        assertEquals("eslint .", prd.qualityChecks().lint());
        assertEquals(1, prd.userStories().get(0).priority(), "defaults as the original");
        assertEquals(3, prd.userStories().get(0).complexity());
    }

    @Test
    void markingAStoryPassingKeepsEveryOtherField() throws Exception {
        PrdFile file = PrdFile.parse("prd.json", SNAKE).withPassed("US-4", "2026-01-01T00:00:00Z");
        var tree = new ObjectMapper().readTree(file.json());
        assertEquals(1, tree.path("extra").path("keep").asInt());
        assertTrue(tree.path("user_stories").get(3).path("passes").asBoolean());
        assertFalse(tree.path("user_stories").get(0).path("passes").asBoolean());
        assertEquals("2026-01-01T00:00:00Z", tree.path("updated_at").asText());
        assertEquals("mvn test", tree.path("quality_checks").path("test").asText());
        assertTrue(file.prd().userStories().get(3).passes());
    }

    @Test
    void badFilesSayWhatAndWhere() {
        assertTrue(assertThrows(PrdException.class, () -> PrdFile.parse("p.json", "[1]")).getMessage()
                .contains("must hold a JSON object"));
        assertTrue(assertThrows(PrdException.class, () -> PrdFile.parse("p.json", "{\"feature\":\"f\"}")).getMessage()
                .contains("missing required field 'project'"));
        assertEquals("p.json: user_stories[0]: 'priority' must be an integer 0-255",
                assertThrows(PrdException.class, () -> PrdFile.parse("p.json", """
                        {"project":"p","feature":"f","user_stories":[{"id":"A","title":"t","description":"d",
                        "priority":"high"}]}""")).getMessage());
        assertTrue(assertThrows(PrdException.class, () -> PrdFile.parse("p.json", """
                {"project":"p","feature":"f","user_stories":[],"quality_checks":{"test":["mvn"]}}""")).getMessage()
                .contains("quality_checks.test must be a shell command string"));
    }

    @Test
    void validationFindsCyclesUnknownAndSelfDependenciesAndWarnsAboutMissingChecks() throws Exception {
        Prd prd = PrdFile.parse("prd.json", """
                {"project":"p","feature":"f","user_stories":[
                 {"id":"A","title":"t","description":"d","depends_on":["C"]},
                 {"id":"B","title":"t","description":"d","depends_on":["A"]},
                 {"id":"C","title":"t","description":"d","depends_on":["B"]},
                 {"id":"D","title":"","description":"d","depends_on":["D","Z"],"complexity":9}]}""").prd();
        PrdValidation v = PrdValidation.of(prd);
        assertFalse(v.valid());
        assertTrue(v.errors().contains("Circular dependency detected: A → C → B → A"), v.errors().toString());
        assertTrue(v.errors().contains("Story D depends on itself"));
        assertTrue(v.errors().contains("Story D depends on non-existent story: Z"));
        assertTrue(v.errors().contains("Story D has empty title"));
        assertTrue(v.warnings().contains("Story D has complexity 9 (should be 1-5)"));
        assertTrue(v.warnings().contains("No quality checks defined - ralph won't verify work"));
        assertTrue(v.summary().startsWith("## Errors\n- ❌ "), v.summary());
        assertTrue(PrdValidation.of(PrdFile.parse("prd.json", SNAKE).prd()).valid());
    }

    @Test
    void aSkillTaskNamesItsPrdInMetadataOrInItsMessage() {
        RalphTool tool = new RalphTool(RalphSettings.defaults());
        assertEquals("{\"action\":\"run\",\"prd_path\":\"docs/search-prd.json\"}",
                tool.skillCall("ralph", "implement docs/search-prd.json today", Map.of()).orElseThrow());
        assertEquals("{\"action\":\"run\",\"prd_path\":\"prd.json\"}",
                tool.skillCall("ralph", "implement the PRD", Map.of()).orElseThrow());
        assertEquals("{\"action\":\"run\",\"prd_path\":\"x/p.json\",\"max_iterations\":4}",
                tool.skillCall("ralph", "a.json", Map.of("prd_path", "x/p.json", "max_iterations", 4)).orElseThrow());
        assertTrue(tool.skillCall("rlm", "a.json", Map.of()).isEmpty());
    }
}
