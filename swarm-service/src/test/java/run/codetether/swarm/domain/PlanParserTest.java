package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanParserTest {

    @Test
    void readsAValidPlanEvenInsideACodeFence() {
        List<SubtaskPlan> plan = PlanParser.parse("""
                ```json
                {"subtasks":[{"id":"a","title":"A","instruction":"do a","depends_on":[]},
                             {"id":"b","title":"B","instruction":"do b","depends_on":["a"]}]}
                ```""", 10);
        assertEquals(2, plan.size());
        assertEquals(List.of("a"), plan.get(1).dependsOn());
    }

    @Test
    void schemaViolationsNameTheProblem() {
        assertTrue(assertThrows(PlanException.class, () -> PlanParser.parse("not json", 5)).getMessage()
                .contains("not valid JSON"));
        assertTrue(assertThrows(PlanException.class, () -> PlanParser.parse("{\"subtasks\":[]}", 5)).getMessage()
                .contains("non-empty"));
        assertTrue(assertThrows(PlanException.class, () -> PlanParser.parse(
                "{\"subtasks\":[{\"id\":\"a\",\"instruction\":\"x\",\"depends_on\":\"b\"}]}", 5)).getMessage()
                .contains("depends_on must be an array"));
        assertTrue(assertThrows(PlanException.class, () -> PlanParser.parse(
                "{\"subtasks\":[{\"id\":\"a\",\"instruction\":\"\"}]}", 5)).getMessage()
                .contains("instruction"));
        assertTrue(assertThrows(PlanException.class, () -> PlanParser.parse(
                "{\"subtasks\":[{\"id\":\"a\",\"instruction\":\"x\"},{\"id\":\"b\",\"instruction\":\"y\"}]}", 1))
                .getMessage().contains("limit is 1"));
        assertTrue(assertThrows(PlanException.class, () -> PlanParser.parse(
                "{\"subtasks\":[{\"id\":\"a\",\"instruction\":\"x\",\"depends_on\":[\"b\"]},"
                        + "{\"id\":\"b\",\"instruction\":\"y\",\"depends_on\":[\"a\"]}]}", 5))
                .getMessage().contains("cycle"));
    }
}
