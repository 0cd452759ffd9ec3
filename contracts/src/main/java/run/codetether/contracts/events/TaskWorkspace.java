package run.codetether.contracts.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * Where a task works and where its change goes: the typed, validated form of A2A {@code message.metadata.workspace}
 * (extension {@value WorkspaceExtension#URI}), filled by the gateway.
 *
 * @param source where the workspace comes from; null = the context's workspace as it is (an empty one for a new
 *     context)
 * @param push push the change to this branch when the task completes; null = no push
 * @param egress true: the sandbox reaches the network through tools-service's egress proxy (its allowlist decides);
 *     false: no network; null = as the context's workspace has it (off for a new context)
 */
public record TaskWorkspace(Source source, Push push, Boolean egress) {

    /** Where a workspace comes from. Closed set. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Git.class, name = "git"),
        @JsonSubTypes.Type(value = Archive.class, name = "archive")
    })
    public sealed interface Source {}

    /**
     * A git remote, cloned by tools-service (credentials are tools-service's: never in the URL here).
     *
     * @param ref branch, tag or commit id; null = the remote's HEAD
     * @param depth null = shallow (the service default), 0 = full history, n = the last n commits
     */
    public record Git(String url, String ref, Integer depth, boolean submodules) implements Source {
        public Git {
            Required.text(url, "git url");
            if (depth != null && depth < 0) {
                throw new IllegalArgumentException("git depth must be 0 (full history) or more");
            }
        }
    }

    /**
     * An archive whose bytes the gateway handed to tools-service before the command was published (Kafka never
     * carries them).
     *
     * @param mediaType {@value WorkspaceExtension#BUNDLE_MEDIA_TYPE} or {@value WorkspaceExtension#GZIP_MEDIA_TYPE}
     * @param name the file part's name, for messages
     * @param stagedId tools-service's id of the staged bytes (their SHA-256, hex)
     * @param sizeBytes size of the archive
     */
    public record Archive(String mediaType, String name, String stagedId, long sizeBytes) implements Source {
        public Archive {
            Required.text(mediaType, "archive mediaType");
            Required.text(stagedId, "archive stagedId");
        }
    }

    /** Where the change goes: a branch {@code codetether/<name>} of the source's remote. */
    public record Push(String branch) {
        public Push {
            Required.text(branch, "push branch");
            if (!WorkspaceExtension.PUSH_BRANCH.matcher(branch).matches()) {
                throw new IllegalArgumentException("push branch must be codetether/<name> (letters, digits, . _ / -), "
                        + "got '" + branch + "'");
            }
        }
    }
}
