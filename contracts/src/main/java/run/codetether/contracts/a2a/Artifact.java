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

    public Artifact {
        if (artifactId == null || artifactId.isBlank()) {
            throw new IllegalArgumentException("artifact needs an artifactId");
        }
        parts = parts == null ? List.of() : List.copyOf(parts);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
