package run.codetether.contracts.a2a;

import java.util.List;
import java.util.Map;

/** A unit of work with its current status, outputs and conversation so far. Immutable; "with" methods copy. */
public record Task(
        String id,
        String contextId,
        TaskStatus status,
        List<Artifact> artifacts,
        List<Message> history,
        Map<String, Object> metadata) {

    public Task {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("task needs an id");
        }
        if (contextId == null || contextId.isBlank()) {
            throw new IllegalArgumentException("task needs a contextId");
        }
        if (status == null) {
            throw new IllegalArgumentException("task needs a status");
        }
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        history = history == null ? List.of() : List.copyOf(history);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Task withStatus(TaskStatus newStatus) {
        return new Task(id, contextId, newStatus, artifacts, history, metadata);
    }

    public Task withArtifacts(List<Artifact> newArtifacts) {
        return new Task(id, contextId, status, newArtifacts, history, metadata);
    }

    public Task withHistory(List<Message> newHistory) {
        return new Task(id, contextId, status, artifacts, newHistory, metadata);
    }

    public Task withMetadata(Map<String, Object> newMetadata) {
        return new Task(id, contextId, status, artifacts, history, newMetadata);
    }
}
