package run.codetether.agent.domain.loop;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.dispatch.Blocking;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * The end of a top-level task whose workspace was prepared: with a push branch, commit (the model's answer is the
 * message) and push a completed task's change; then, when a call ran in the workspace in any of the task's runs or
 * a push was asked for, the {@code changes} artifact when the workspace differs from its base and from what the
 * context's previous task reported: the unified diff (a text part of media type
 * {@code text/x-diff}, or a file part when the diff is not UTF-8) and its stats, plus {@code pushed}. The diff
 * covers everything since the workspace's base, so the latest task's artifact is the whole change of the
 * conversation. Thread-safe: no per-run state.
 */
final class ChangesReport {
    private static final Logger LOG = Logger.getLogger(ChangesReport.class);

    /** What the end of the task reports: an artifact (maybe none), and why the asked-for push failed (maybe not). */
    record Outcome(Optional<Artifact> artifact, Optional<String> pushFailure) {
        static final Outcome NONE = new Outcome(Optional.empty(), Optional.empty());
    }

    private final Workspaces workspaces;
    private final WorkspaceSettings settings;

    ChangesReport(Workspaces workspaces, WorkspaceSettings settings) {
        this.workspaces = workspaces;
        this.settings = settings;
    }

    /** @param completed push only the change of a task that completed */
    Outcome report(RunContext cx, boolean completed, String answer) {
        if (nothingToReport(cx)) {
            return Outcome.NONE;
        }
        try {
            return reportChecked(cx, completed, answer);
        } catch (InterruptedException e) {
            throw new TaskRun.Stop(); // canceled or handed over while pushing or diffing
        }
    }

    /** Whether the end of this task reports nothing and touches no workspace (so it cannot fail half-way). */
    boolean nothingToReport(RunContext cx) {
        if (cx.depth > 0 || cx.task == null || cx.task.workspace == null || cx.task.workspacePending) {
            return true;
        }
        // nothing ran in the workspace in any run of this task: no change of its own to report (a text answer);
        // changedFiles covers a task saved before workspaceCalls was counted that edited files
        return cx.task.workspaceCalls == 0 && cx.task.changedFiles.isEmpty() && cx.task.pushBranch == null;
    }

    private Outcome reportChecked(RunContext cx, boolean completed, String answer) throws InterruptedException {
        String session = cx.workspaceId;
        Workspaces.Pushed pushed = null;
        String pushFailure = null;
        if (completed && cx.task.pushBranch != null) {
            String message = CommitMessage.of(answer, cx.task.taskId);
            try {
                pushed = Blocking.call(() -> workspaces.push(session, cx.task.pushBranch, message, settings.author()),
                        Workspaces.Failure.class);
            } catch (Workspaces.Failure f) {
                cx.checkStop();
                pushFailure = "The work is done, but pushing it to " + cx.task.pushBranch + " failed: " + f.getMessage()
                        + "\nThe change is in the `changes` artifact (apply it with `codetether apply "
                        + cx.task.taskId + "`).";
            }
        }
        if (pushed != null) {
            cx.task.pushedBranch = pushed.branch();
            cx.task.pushedCommit = pushed.commit();
        }
        Workspaces.Changes changes;
        try {
            changes = Blocking.call(() -> workspaces.changes(session), Workspaces.Failure.class);
        } catch (Workspaces.Failure f) {
            cx.checkStop();
            LOG.warnf("task %s: no diff of its workspace: %s", cx.task.taskId, f.getMessage());
            cx.task.reportedChange = "";
            return new Outcome(Optional.of(noDiff(cx, f.getMessage(), pushed)), Optional.ofNullable(pushFailure));
        }
        String digest = sha256(changes.diff());
        if (changes.stats().filesChanged() == 0 || (pushed == null && digest.equals(cx.session.changesDigest))) {
            return new Outcome(Optional.empty(), Optional.ofNullable(pushFailure));
        }
        cx.session.changesDigest = digest;
        cx.task.reportedChange = digest;
        return new Outcome(Optional.of(changesArtifact(cx, changes, pushed)), Optional.ofNullable(pushFailure));
    }

    /**
     * The {@code changes} artifact of an end published again (a redelivered command of an ended task): made again
     * from the workspace, the same as the first when the workspace still holds the diff that end reported (same
     * digest); nothing is pushed again. When a later task changed the workspace since, that diff is gone: the
     * artifact says so (the later task's artifact covers the whole change) instead of passing another diff off as
     * this task's. Empty when the end reported no change.
     */
    Optional<Artifact> again(RunContext cx) {
        if (cx.depth > 0 || cx.task == null || cx.task.reportedChange == null) {
            return Optional.empty();
        }
        Workspaces.Pushed pushed = cx.task.pushedBranch == null ? null
                : new Workspaces.Pushed(cx.task.pushedBranch, cx.task.pushedCommit, null);
        String session = cx.workspaceId;
        Workspaces.Changes changes;
        try {
            changes = Blocking.call(() -> workspaces.changes(session), Workspaces.Failure.class);
        } catch (Workspaces.Failure f) {
            cx.checkStop();
            LOG.warnf("task %s: its end is published again without its diff: %s", cx.task.taskId, f.getMessage());
            return Optional.of(noDiff(cx, f.getMessage(), pushed));
        } catch (InterruptedException e) {
            throw new TaskRun.Stop();
        }
        String reported = cx.task.reportedChange;
        if (!reported.isEmpty() && !reported.equals(sha256(changes.diff()))) {
            return Optional.of(noDiff(cx, "the workspace changed after this task ended (a later task of the"
                    + " conversation changed it), so this task's diff cannot be made again; the later task's changes"
                    + " artifact holds the whole change", pushed));
        }
        return Optional.of(changesArtifact(cx, changes, pushed));
    }

    private static Artifact noDiff(RunContext cx, String why, Workspaces.Pushed pushed) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(MetadataKeys.DIFF_OMITTED, "the diff could not be taken: " + why);
        putPushed(data, pushed);
        return artifact(cx, "The workspace's change (no diff: " + why + ")", List.of(new Part.Data(data, null)));
    }

    private Artifact changesArtifact(RunContext cx, Workspaces.Changes changes, Workspaces.Pushed pushed) {
        Workspaces.Stats s = changes.stats();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(MetadataKeys.FILES_CHANGED, s.filesChanged());
        data.put(MetadataKeys.INSERTIONS, s.insertions());
        data.put(MetadataKeys.DELETIONS, s.deletions());
        data.put(MetadataKeys.BASE_REF, s.baseRef());
        data.put(MetadataKeys.BASE_COMMIT, s.baseCommit());
        putPushed(data, pushed);
        byte[] diff = changes.diff();
        Part diffPart = null;
        if (diff.length > settings.maxDiffArtifactBytes()) {
            data.put(MetadataKeys.DIFF_OMITTED, "the diff is " + diff.length + " bytes, more than the "
                    + settings.maxDiffArtifactBytes() + " a task's artifact carries (codetether.agent.workspace."
                    + "max-diff-artifact-bytes)" + (pushed == null ? "; ask for a branch with workspace.push instead"
                            : "; the change is on " + pushed.branch()));
        } else {
            diffPart = utf8(diff).<Part>map(t -> new Part.Text(t, WorkspaceExtension.DIFF_MEDIA_TYPE, null))
                    .orElseGet(() -> new Part.File("changes.diff", WorkspaceExtension.DIFF_MEDIA_TYPE,
                            Base64.getEncoder().encodeToString(diff), null, null));
        }
        String summary = s.filesChanged() + " file" + (s.filesChanged() == 1 ? "" : "s") + " changed, +"
                + s.insertions() + " -" + s.deletions() + " against " + (s.baseRef().isEmpty() ? "an empty tree"
                        : s.baseRef()) + (pushed == null ? "" : "; pushed to " + pushed.branch() + " ("
                                + WorkspaceSetup.shortId(pushed.commit()) + ")");
        Part stats = new Part.Data(data, null);
        return artifact(cx, summary, diffPart == null ? List.of(stats) : List.of(diffPart, stats));
    }

    private static Artifact artifact(RunContext cx, String description, List<Part> parts) {
        return new Artifact(WorkspaceExtension.CHANGES_ARTIFACT + "-" + cx.task.taskId,
                WorkspaceExtension.CHANGES_ARTIFACT, description, parts, List.of(WorkspaceExtension.URI), null);
    }

    private static void putPushed(Map<String, Object> data, Workspaces.Pushed pushed) {
        if (pushed != null) {
            data.put(MetadataKeys.PUSHED, Map.of(MetadataKeys.BRANCH, pushed.branch(), MetadataKeys.COMMIT,
                    pushed.commit()));
        }
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
