package run.codetether.tools.domain.git;

import java.util.Optional;

/**
 * Archive bytes kept for a session between their upload (the gateway's StageArchive) and the PrepareWorkspace that
 * unpacks them, so a client's archive never travels through Kafka. Keyed by session and the bytes' SHA-256.
 * Thread-safe; throws {@link WorkspaceException} (TOO_LARGE, INVALID_ARGUMENT, FAILED) with a user-safe message.
 */
public interface ArchiveStage {

    /** What was staged: the id to prepare from, the size and the recognised media type. */
    record Staged(String id, long sizeBytes, String mediaType) {}

    /** Keeps the archive for the session (size-capped); staging the same bytes again returns the same id. */
    Staged stage(String sessionId, WorkspaceSource.Archive archive);

    /** The staged bytes, empty when they were never staged for this session, were used up or expired. */
    Optional<byte[]> read(String sessionId, String id);

    /** Drops one staged archive (after a workspace was prepared from it). */
    void delete(String sessionId, String id);

    /** Drops every archive staged for the session (CloseSession). */
    void closeSession(String sessionId);
}
