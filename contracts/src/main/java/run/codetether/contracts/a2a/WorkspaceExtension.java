package run.codetether.contracts.a2a;

import java.util.regex.Pattern;

/**
 * The A2A extension {@value #URI}: where a task's workspace comes from ({@code message.metadata.workspace}) and how
 * its change comes back (the {@value #CHANGES_ARTIFACT} artifact). Declared in the agent card; the page the URI's
 * doc points at is {@code docs/workspaces.md}. Keys of the metadata are in {@link MetadataKeys}.
 */
public final class WorkspaceExtension {
    private WorkspaceExtension() {}

    /** The extension's URI, as the agent card declares it. */
    public static final String URI = "https://codetether.run/a2a/ext/workspace/v1";

    /** Name of the artifact a task that changed files ends with. */
    public static final String CHANGES_ARTIFACT = "changes";

    /** Media type of the artifact's diff part (a unified git diff that {@code git apply} accepts). */
    public static final String DIFF_MEDIA_TYPE = "text/x-diff";

    /** A git bundle of a checkout (with {@link #WORKTREE_REF} when it carries uncommitted files). */
    public static final String BUNDLE_MEDIA_TYPE = "application/x-git-bundle";

    /** A .tar.gz of a directory. */
    public static final String GZIP_MEDIA_TYPE = "application/gzip";

    /** The ref of a bundle whose commit is the checkout's working tree (HEAD plus uncommitted and untracked files). */
    public static final String WORKTREE_REF = "refs/codetether/worktree";

    /**
     * The URI a workspace archive's file part carries once the gateway has handed its bytes to tools-service (so the
     * bytes never travel through Kafka or the task history): this prefix plus the archive's SHA-256 in hex.
     */
    public static final String STAGED_ARCHIVE_URI_PREFIX = "urn:codetether:staged-archive:";

    /** Branches the platform pushes: {@code codetether/<name>}, never another branch. */
    public static final Pattern PUSH_BRANCH = Pattern.compile("codetether/[A-Za-z0-9][A-Za-z0-9._/-]{0,120}");

    /** True for the media types a workspace archive may have (parameters such as {@code ;charset} ignored). */
    public static boolean isArchiveMediaType(String mediaType) {
        if (mediaType == null) {
            return false;
        }
        String t = mediaType.strip().toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi).strip();
        }
        return switch (t) {
            case BUNDLE_MEDIA_TYPE, GZIP_MEDIA_TYPE, "application/x-gzip", "application/x-tar+gzip",
                    "application/tar+gzip", "application/x-compressed-tar" -> true;
            default -> false;
        };
    }
}
