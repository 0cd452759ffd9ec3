package run.codetether.contracts.a2a;

import java.util.List;
import java.util.Map;

/** An output of a task: the final answer, a changed file, a report. */
public record Artifact(
        String artifactId,
        String name,
        String description,
        List<Part> parts,
        List<String> extensions,
        Map<String, Object> metadata) {

    /**
     * The name of the agent's answer artifact (streamed in chunks while the model writes, then closed or sent whole).
     */
    public static final String ANSWER = "answer";

    /** The id of a task's answer artifact: one per task, so the finished answer closes or replaces the chunks. */
    public static String answerId(String taskId) {
        return "answer-" + taskId;
    }

    public Artifact {
        if (artifactId == null || artifactId.isBlank()) {
            throw new IllegalArgumentException("artifact needs an artifactId");
        }
        parts = parts == null ? List.of() : List.copyOf(parts);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
