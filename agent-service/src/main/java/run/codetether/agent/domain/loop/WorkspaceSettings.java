package run.codetether.agent.domain.loop;

import run.codetether.agent.domain.port.Workspaces;

/**
 * How the loop treats a task's workspace at its end.
 *
 * @param author author of the commit a push makes; null = tools-service's configured author
 * @param maxDiffArtifactBytes the largest diff the {@code changes} artifact carries; a larger one is left out (its
 *     stats stay) because the task's events and state are Kafka records
 */
public record WorkspaceSettings(Workspaces.Author author, int maxDiffArtifactBytes) {

    public static WorkspaceSettings defaults() {
        return new WorkspaceSettings(null, 4 * 1024 * 1024);
    }
}
