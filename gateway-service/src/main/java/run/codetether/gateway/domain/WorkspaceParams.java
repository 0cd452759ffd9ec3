package run.codetether.gateway.domain;

import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.contracts.events.TaskWorkspace;

/**
 * {@code message.metadata.workspace} (extension {@value WorkspaceExtension#URI}) as the typed {@link TaskWorkspace}
 * of StartTask. The bindings all decode a message's metadata into the same map, so this one parse serves JSON-RPC,
 * REST, gRPC and 0.3 alike. Every malformed value is an INVALID_PARAMS error naming the key.
 *
 * <p>An archive workspace is a file part of the message: the one {@code metadata.workspace.archive.file_ref} names,
 * or, without that key, the message's one file part whose media type is a git bundle or a gzip tarball. Its bytes
 * never reach Kafka: the gateway stages them at tools-service first ({@link WorkspaceUploads}) and the task carries
 * only the staged id.
 */
public final class WorkspaceParams {
    private static final String KEY = "metadata." + MetadataKeys.WORKSPACE;

    /**
     * What a message asks for, validated.
     *
     * @param git the git source, or null
     * @param archivePart index of the archive file part in {@code message.parts}, or -1
     */
    public record Parsed(TaskWorkspace.Git git, TaskWorkspace.Push push, Boolean egress, int archivePart) {}

    private WorkspaceParams() {}

    /** The index of the message's workspace archive part, or -1 (malformed workspace parameters throw). */
    public static int archivePart(Message message) {
        Parsed p = parse(message);
        return p == null ? -1 : p.archivePart();
    }

    /**
     * The message's workspace request, or null when it has none (or names a worker's codebase, routed elsewhere).
     * A message with an archive part must have been staged first ({@link #of(Parsed, WorkspaceUploads.Staged)}).
     */
    static TaskWorkspace of(Message message) {
        Parsed p = parse(message);
        if (p != null && p.archivePart() >= 0) {
            throw new IllegalStateException("an archive workspace is staged before its task starts");
        }
        return of(p, null);
    }

    /** The typed workspace of a parsed request whose archive (if any) is now {@code staged}. */
    static TaskWorkspace of(Parsed p, WorkspaceUploads.Staged staged) {
        if (p == null) {
            return null;
        }
        TaskWorkspace.Source source = p.git();
        if (p.archivePart() >= 0) {
            source = new TaskWorkspace.Archive(staged.mediaType(), staged.name(), staged.id(), staged.sizeBytes());
        }
        return new TaskWorkspace(source, p.push(), p.egress());
    }

    /** Validates {@code message.metadata.workspace} and finds the archive part; null when there is no request. */
    public static Parsed parse(Message message) {
        Object raw = message.metadata() == null ? null : message.metadata().get(MetadataKeys.WORKSPACE);
        int implied = impliedArchive(message.parts());
        if (raw == null) {
            return implied < 0 ? null : new Parsed(null, null, null, implied);
        }
        if (!(raw instanceof Map<?, ?> ws)) {
            throw A2AException.invalidParams(KEY + " must be an object");
        }
        if (ws.containsKey(MetadataKeys.CODEBASE)) {
            if (implied >= 0 || ws.containsKey(MetadataKeys.ARCHIVE)) {
                throw A2AException.invalidParams(KEY + ".codebase names a worker's checkout, and the message also "
                        + "carries an archive; send one of them");
            }
            return null;
        }
        TaskWorkspace.Git git = null;
        Object g = ws.get(MetadataKeys.GIT);
        if (g != null) {
            if (!(g instanceof Map<?, ?> gm)) {
                throw A2AException.invalidParams(KEY + ".git must be an object {url, ref?, depth?, submodules?}");
            }
            git = git(gm);
        }
        int archive = implied;
        Object a = ws.get(MetadataKeys.ARCHIVE);
        if (a != null) {
            archive = fileRef(a, message.parts());
        }
        if (git != null && archive >= 0) {
            throw A2AException.invalidParams(KEY + ": the message names a git remote and carries an archive (message"
                    + ".parts[" + archive + "]); a workspace has one source");
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
        if (push != null && archive >= 0) {
            throw A2AException.invalidParams(KEY + ".push needs a git source: an archive has no remote to push to "
                    + "(apply the changes artifact instead: codetether apply / run --apply)");
        }
        Object egress = ws.get(MetadataKeys.EGRESS);
        if (egress != null && !(egress instanceof Boolean)) {
            throw A2AException.invalidParams(KEY + ".egress must be true or false");
        }
        if (git == null && archive < 0 && push == null && egress == null) {
            throw A2AException.invalidParams(KEY + " names no source: expected git, archive or codebase");
        }
        return new Parsed(git, push, (Boolean) egress, archive);
    }

    /** {@code archive: {file_ref: n}}: n must index an inline file part that can be an archive. */
    private static int fileRef(Object a, List<Part> parts) {
        Object ref = a instanceof Map<?, ?> am ? (am.containsKey(MetadataKeys.FILE_REF) ? am.get(MetadataKeys.FILE_REF)
                : am.get(MetadataKeys.FILE_REF_ALIAS)) : null;
        if (!(ref instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())) {
            throw A2AException.invalidParams(KEY + ".archive must be {\"file_ref\": n}, n the index of the archive's"
                    + " file part in message.parts");
        }
        int i = n.intValue();
        if (i < 0 || i >= parts.size() || !(parts.get(i) instanceof Part.File f)) {
            throw A2AException.invalidParams(KEY + ".archive.file_ref " + i + " is not the index of a file part in "
                    + "message.parts (" + parts.size() + " parts)");
        }
        if (f.bytesBase64() == null) {
            throw A2AException.invalidParams(KEY + ".archive.file_ref " + i + ": the archive must be inline bytes "
                    + "(raw), not a URL");
        }
        String type = f.mediaType() == null ? "" : f.mediaType().strip();
        if (!type.isEmpty() && !type.equalsIgnoreCase("application/octet-stream")
                && !WorkspaceExtension.isArchiveMediaType(type)) {
            throw A2AException.invalidParams(KEY + ".archive.file_ref " + i + " has media type " + type + "; an "
                    + "archive is " + WorkspaceExtension.BUNDLE_MEDIA_TYPE + " or " + WorkspaceExtension.GZIP_MEDIA_TYPE);
        }
        return i;
    }

    /** The one file part whose media type makes it an archive, -1 without one; two are ambiguous. */
    private static int impliedArchive(List<Part> parts) {
        int found = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Part.File f && WorkspaceExtension.isArchiveMediaType(f.mediaType())) {
                if (f.uri() != null && f.uri().startsWith(WorkspaceExtension.STAGED_ARCHIVE_URI_PREFIX)) {
                    throw A2AException.invalidParams("message.parts[" + i + "]: " + WorkspaceExtension
                            .STAGED_ARCHIVE_URI_PREFIX + " URIs are the gateway's own; send the archive's bytes");
                }
                if (f.bytesBase64() == null) {
                    throw A2AException.invalidParams("message.parts[" + i + "] is a workspace archive ("
                            + f.mediaType() + ") given by URL; send its bytes (raw) instead");
                }
                if (found >= 0) {
                    throw A2AException.invalidParams("message.parts[" + found + "] and [" + i + "] are both archives;"
                            + " a workspace has one (name it with " + KEY + ".archive.file_ref)");
                }
                found = i;
            }
        }
        return found;
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
