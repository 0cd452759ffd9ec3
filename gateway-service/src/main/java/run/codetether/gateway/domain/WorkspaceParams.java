package run.codetether.gateway.domain;

import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.contracts.events.TaskWorkspace;

/**
 * {@code message.metadata.workspace} (extension {@value WorkspaceExtension#URI}) as the typed {@link TaskWorkspace}
 * of StartTask. The bindings all decode a message's metadata into the same map, so this one parse serves JSON-RPC,
 * REST, gRPC and 0.3 alike. Every malformed value is an INVALID_PARAMS error naming the key.
 */
final class WorkspaceParams {
    private static final String KEY = "metadata." + MetadataKeys.WORKSPACE;

    private WorkspaceParams() {}

    /** The message's workspace request, or null when it has none (or names a worker's codebase, routed elsewhere). */
    static TaskWorkspace of(Message message) {
        Object raw = message.metadata() == null ? null : message.metadata().get(MetadataKeys.WORKSPACE);
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> ws)) {
            throw A2AException.invalidParams(KEY + " must be an object");
        }
        if (ws.containsKey(MetadataKeys.CODEBASE)) {
            return null;
        }
        if (ws.containsKey(MetadataKeys.ARCHIVE)) {
            throw A2AException.invalidParams(KEY + ".archive: this gateway does not accept archive uploads yet; "
                    + "send " + KEY + ".git with a URL tools-service can clone");
        }
        TaskWorkspace.Source source = null;
        Object git = ws.get(MetadataKeys.GIT);
        if (git != null) {
            if (!(git instanceof Map<?, ?> g)) {
                throw A2AException.invalidParams(KEY + ".git must be an object {url, ref?, depth?, submodules?}");
            }
            source = git(g);
        }
        TaskWorkspace.Push push = null;
        Object p = ws.get(MetadataKeys.PUSH);
        if (p != null) {
            if (!(p instanceof Map<?, ?> pm) || !(pm.get(MetadataKeys.BRANCH) instanceof String branch)) {
                throw A2AException.invalidParams(KEY + ".push must be {\"branch\": \"codetether/<name>\"}");
            }
            try {
                push = new TaskWorkspace.Push(branch);
            } catch (IllegalArgumentException e) {
                throw A2AException.invalidParams(KEY + ".push: " + e.getMessage());
            }
        }
        Object egress = ws.get(MetadataKeys.EGRESS);
        if (egress != null && !(egress instanceof Boolean)) {
            throw A2AException.invalidParams(KEY + ".egress must be true or false");
        }
        if (source == null && push == null && egress == null) {
            throw A2AException.invalidParams(KEY + " names no source: expected git, archive or codebase");
        }
        return new TaskWorkspace(source, push, (Boolean) egress);
    }

    private static TaskWorkspace.Git git(Map<?, ?> g) {
        if (!(g.get(MetadataKeys.URL) instanceof String url) || url.isBlank()) {
            throw A2AException.invalidParams(KEY + ".git.url is required (https, ssh or git:// URL)");
        }
        if (url.matches("(?i)^[a-z][a-z0-9+.-]*://[^/@]*:[^/@]*@.*")) {
            // never let a secret ride the task log: credentials live in tools-service (Vault or the secrets file)
            throw A2AException.invalidParams(KEY + ".git.url must not carry credentials; add them for the host "
                    + "with `codetether auth add git:<host>` or Vault secret/codetether/git/<host>");
        }
        Object ref = g.get(MetadataKeys.REF);
        if (ref != null && !(ref instanceof String)) {
            throw A2AException.invalidParams(KEY + ".git.ref must be a string");
        }
        Object depth = g.get(MetadataKeys.DEPTH);
        if (depth != null && !(depth instanceof Number)) {
            throw A2AException.invalidParams(KEY + ".git.depth must be a number (0 = full history)");
        }
        Object sub = g.get(MetadataKeys.SUBMODULES);
        if (sub != null && !(sub instanceof Boolean)) {
            throw A2AException.invalidParams(KEY + ".git.submodules must be true or false");
        }
        try {
            return new TaskWorkspace.Git(url, (String) ref, depth == null ? null : ((Number) depth).intValue(),
                    Boolean.TRUE.equals(sub));
        } catch (IllegalArgumentException e) {
            throw A2AException.invalidParams(KEY + ".git: " + e.getMessage());
        }
    }
}
