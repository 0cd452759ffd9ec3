package run.codetether.contracts.a2a;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit of work with its current status, outputs and conversation so far. Immutable; "with" methods copy.
 *
 * @param metadata what an A2A client sees as the task's metadata
 * @param submission who submitted the task and how it runs; the platform's own, never shown to a client (may be null)
 */
public record Task(
        String id,
        String contextId,
        TaskStatus status,
        List<Artifact> artifacts,
        List<Message> history,
        Map<String, Object> metadata,
        Submission submission) {

    /**
     * The gateway's own facts about a task, recorded with its first status.
     *
     * @param owner the client id that submitted it (only it may see the task), or null for anonymous
     * @param tenant the A2A tenant it was submitted under, or null
     * @param skill the skill that runs it ({@code swarm}, {@code ralph}, ...), or null for the agent loop
     */
    public record Submission(String owner, String tenant, String skill) {
        /** Keys under which gateways before the typed field kept these in the task's metadata. */
        static final String LEGACY_OWNER = "codetether.owner";
        static final String LEGACY_TENANT = "codetether.tenant";
        static final String LEGACY_SKILL = "codetether.skill";
        static final String LEGACY_PREFIX = "codetether.";

        static Submission fromLegacy(Map<String, Object> metadata) {
            if (metadata == null || metadata.keySet().stream().noneMatch(k -> k.startsWith(LEGACY_PREFIX))) {
                return null;
            }
            return new Submission(text(metadata.get(LEGACY_OWNER)), text(metadata.get(LEGACY_TENANT)),
                    text(metadata.get(LEGACY_SKILL)));
        }

        private static String text(Object v) {
            return v == null ? null : v.toString();
        }
    }

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
        if (submission == null) {
            // a task recorded before the typed field kept these facts as prefixed metadata keys: lift them, so an
            // old snapshot keeps its owner (and stays hidden from other clients) after an upgrade
            submission = Submission.fromLegacy(metadata);
        }
        if (metadata != null && metadata.keySet().stream().anyMatch(k -> k.startsWith(Submission.LEGACY_PREFIX))) {
            Map<String, Object> visible = new HashMap<>(metadata);
            visible.keySet().removeIf(k -> k.startsWith(Submission.LEGACY_PREFIX));
            metadata = visible;
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Task(String id, String contextId, TaskStatus status, List<Artifact> artifacts, List<Message> history,
            Map<String, Object> metadata) {
        this(id, contextId, status, artifacts, history, metadata, null);
    }

    public Task withStatus(TaskStatus newStatus) {
        return new Task(id, contextId, newStatus, artifacts, history, metadata, submission);
    }

    public Task withArtifacts(List<Artifact> newArtifacts) {
        return new Task(id, contextId, status, newArtifacts, history, metadata, submission);
    }

    public Task withHistory(List<Message> newHistory) {
        return new Task(id, contextId, status, artifacts, newHistory, metadata, submission);
    }

    public Task withMetadata(Map<String, Object> newMetadata) {
        return new Task(id, contextId, status, artifacts, history, newMetadata, submission);
    }
}
