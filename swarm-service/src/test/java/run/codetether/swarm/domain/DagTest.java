package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagTest {
    private static SubtaskPlan p(String id, String... deps) {
        return new SubtaskPlan(id, id, "do " + id, List.of(deps));
    }

    @Test
    void stagesFollowTheLongestDependencyChain() {
        Map<String, Integer> stages = Dag.stages(List.of(p("a"), p("b"), p("c", "a"), p("d", "c", "b"), p("e", "a")));
        assertEquals(Map.of("a", 0, "b", 0, "c", 1, "d", 2, "e", 1), stages);
    }

    @Test
    void cyclesAreRejectedNamingTheSubtasks() {
        var e = assertThrows(PlanException.class, () -> Dag.stages(List.of(p("a", "c"), p("b", "a"), p("c", "b"), p("x"))));
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("[a, b, c]"), e.getMessage());
    }

    @Test
    void unknownSelfAndDuplicateIdsAreRejected() {
        assertTrue(assertThrows(PlanException.class, () -> Dag.stages(List.of(p("a", "zz"))))
                .getMessage().contains("unknown subtask 'zz'"));
        assertTrue(assertThrows(PlanException.class, () -> Dag.stages(List.of(p("a", "a"))))
                .getMessage().contains("itself"));
        assertTrue(assertThrows(PlanException.class, () -> Dag.stages(List.of(p("a"), p("a"))))
                .getMessage().contains("duplicate"));
    }
}
