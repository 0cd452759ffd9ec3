package run.codetether.tools.domain.git;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where a session's workspace comes from. Closed set: a git remote, an uploaded archive, or nothing. */
public sealed interface WorkspaceSource {

    String BUNDLE = "application/x-git-bundle";
    String GZIP = "application/gzip";

    /**
     * What identifies the source for the idempotency check (a later call with the same key reuses the workspace).
     * Never contains a credential.
     */
    String key();

    /** A git remote; {@code depth} null = the service default, 0 = full history. */
    record Git(GitUrl url, String ref, Integer depth, boolean submodules) implements WorkspaceSource {
        @Override
        public String key() {
            return "git " + url.display() + " " + ref + " " + depth + " " + submodules;
        }
    }

    /** An archive; media type {@link #BUNDLE} or {@link #GZIP} (also accepted: application/x-gzip, application/x-tar+gzip). */
    record Archive(String mediaType, byte[] data, String name) implements WorkspaceSource {
        @Override
        public String key() {
            try {
                return "archive " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public boolean bundle() {
            return mediaType.equals(BUNDLE);
        }
    }

    /** An empty workspace; its changes are diffed against the empty tree. */
    record Empty() implements WorkspaceSource {
        @Override
        public String key() {
            return "empty";
        }
    }
}
