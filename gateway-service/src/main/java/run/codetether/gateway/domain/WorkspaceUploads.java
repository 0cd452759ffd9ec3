package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * A message's workspace archive (a git bundle of the user's checkout, or a .tar.gz) handed to tools-service before
 * its task is requested, so that megabytes never ride a Kafka record or the task's history: the archive part is
 * replaced by a file part whose URI is {@value WorkspaceExtension#STAGED_ARCHIVE_URI_PREFIX}{@code <sha-256>}, and
 * StartTask's typed workspace names that id. The bytes are staged under the task's context id, the session id the
 * agent prepares the workspace for. Thread-safe.
 */
public final class WorkspaceUploads {
    /** An archive tools-service keeps for a session until PrepareWorkspace takes it. */
    public record Staged(String id, long sizeBytes, String mediaType, String name) {}

    /** Where archives are staged (tools-service's StageArchive). */
    public interface Stager {
        /**
         * Stages the bytes for the session. Fails with an {@link A2AException} whose message is safe to show: too
         * large (PAYLOAD_TOO_LARGE), not an archive (INVALID_PARAMS), tools-service unreachable (UNAVAILABLE).
         */
        CompletableFuture<Staged> stage(String sessionId, String mediaType, String name, byte[] bytes);
    }

    /** The key that sets the cap, named in every refusal. */
    public static final String MAX_KEY = "codetether.gateway.workspace.max-archive-bytes";

    /** No stager: archives are refused (the cap is 0). */
    public static final WorkspaceUploads NONE = new WorkspaceUploads((s, t, n, b) -> CompletableFuture.failedFuture(
            new IllegalStateException("no stager")), 0);

    private final Stager stager;
    private final long maxArchiveBytes;

    /** @param maxArchiveBytes largest archive (decoded bytes) accepted; 0 refuses every archive */
    public WorkspaceUploads(Stager stager, long maxArchiveBytes) {
        if (maxArchiveBytes < 0) {
            throw new IllegalArgumentException(MAX_KEY + " must be 0 (no archives) or more, got " + maxArchiveBytes);
        }
        this.stager = stager;
        this.maxArchiveBytes = maxArchiveBytes;
    }

    public long maxArchiveBytes() {
        return maxArchiveBytes;
    }

    /** Refuses an archive over the cap (or any archive when archives are off) before anything is written. */
    public void check(Message message, int archivePart) {
        if (archivePart < 0) {
            return;
        }
        long size = decodedLength(((Part.File) message.parts().get(archivePart)).bytesBase64());
        if (maxArchiveBytes == 0) {
            throw A2AException.invalidParams("message.parts[" + archivePart + "] is a workspace archive; this gateway"
                    + " accepts none (" + MAX_KEY + "=0): send metadata.workspace.git with a URL tools-service can "
                    + "clone");
        }
        if (size > maxArchiveBytes) {
            throw new A2AException(A2AError.PAYLOAD_TOO_LARGE, "message.parts[" + archivePart + "] is a workspace "
                    + "archive of " + size + " bytes; the limit is " + maxArchiveBytes + " bytes (" + MAX_KEY + "). "
                    + "Send a smaller checkout (untracked build output inflates it: add it to .gitignore) or push it "
                    + "and send metadata.workspace.git instead", Map.of("sizeBytes", size, "maxBytes",
                            maxArchiveBytes));
        }
    }

    /** The message with its archive staged: the part now names the staged id; {@code staged} null without one. */
    public record Result(Message message, Staged staged) {}

    /** Stages the message's archive part (checked by {@link #check}) for {@code sessionId}. */
    public CompletableFuture<Result> stage(String sessionId, Message message, int archivePart) {
        if (archivePart < 0) {
            return CompletableFuture.completedFuture(new Result(message, null));
        }
        check(message, archivePart);
        Part.File f = (Part.File) message.parts().get(archivePart);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(f.bytesBase64());
        } catch (IllegalArgumentException e) {
            throw A2AException.invalidParams("message.parts[" + archivePart + "]: the archive's bytes are not valid "
                    + "base64");
        }
        String mediaType = f.mediaType() == null ? "" : f.mediaType();
        String name = f.name() == null ? "" : f.name();
        return stager.stage(sessionId, mediaType, name, bytes).thenApply(s -> {
            List<Part> parts = new ArrayList<>(message.parts());
            parts.set(archivePart, new Part.File(name.isEmpty() ? null : name, s.mediaType(), null,
                    WorkspaceExtension.STAGED_ARCHIVE_URI_PREFIX + s.id(), f.metadata()));
            Message staged = new Message(message.messageId(), message.role(), parts, message.contextId(),
                    message.taskId(), message.referenceTaskIds(), message.extensions(), message.metadata());
            return new Result(staged, new Staged(s.id(), s.sizeBytes(), s.mediaType(), name));
        });
    }

    static long decodedLength(String base64) {
        int len = base64.length();
        int padding = len > 0 && base64.charAt(len - 1) == '=' ? (len > 1 && base64.charAt(len - 2) == '=' ? 2 : 1)
                : 0;
        return (long) len * 3 / 4 - padding;
    }
}
