package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmStrategy;

class LlmDecomposerTest {
    private static SwarmCommand.StartSwarm cmd(SwarmStrategy s) {
        return new SwarmCommand.StartSwarm("s", "t", "c", null, "write a parser", s, null, null, 0, 0, null, null);
    }

    @Test
    void strategyNoneIsOneSubtaskWithoutAModel() {
        var plan = new LlmDecomposer((p, m, s, u, j) -> {
            throw new AssertionError("no model call expected");
        }).decompose(cmd(SwarmStrategy.NONE), 10);
        assertEquals(1, plan.size());
        assertEquals("write a parser", plan.get(0).instruction());
    }

    @Test
    void anInvalidAnswerIsRepairedOnceWithTheError() {
        List<String> users = new ArrayList<>();
        List<String> answers = new ArrayList<>(List.of("{\"subtasks\":[{\"id\":\"a\",\"instruction\":\"x\","
                + "\"depends_on\":[\"a\"]}]}", "{\"subtasks\":[{\"id\":\"a\",\"instruction\":\"x\",\"depends_on\":[]}]}"));
        var plan = new LlmDecomposer((p, m, s, u, j) -> {
            users.add(u);
            assertTrue(s.contains("one subtask per domain"), "strategy guidance in the prompt");
            return answers.remove(0);
        }).decompose(cmd(SwarmStrategy.DOMAIN), 10);
        assertEquals(1, plan.size());
        assertTrue(users.get(1).contains("depends on itself"), users.get(1));
    }

    @Test
    void twoInvalidAnswersFail() {
        var e = assertThrows(PlanException.class, () -> new LlmDecomposer((p, m, s, u, j) -> "nope")
                .decompose(cmd(SwarmStrategy.AUTO), 10));
        assertTrue(e.getMessage().contains("failed twice"));
    }
}
