package run.codetether.swarm.domain;

import java.util.List;

/** One subtask as the decomposer planned it, before it has a stage or a status. */
public record SubtaskPlan(String id, String title, String instruction, List<String> dependsOn) {
    public SubtaskPlan {
        if (id == null || id.isBlank()) {
            throw new PlanException("every subtask needs a non-blank id");
        }
        if (instruction == null || instruction.isBlank()) {
            throw new PlanException("subtask '" + id + "' needs a non-blank instruction");
        }
        title = title == null || title.isBlank() ? id : title;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
