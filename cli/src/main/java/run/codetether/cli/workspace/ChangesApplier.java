package run.codetether.cli.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * A task's {@code changes} artifact applied to a local checkout with {@code git apply} (run at the checkout's top,
 * where the diff's paths start), or to the plain directory whose .tar.gz was the workspace. It is checked first ({@code --check}); when it does not apply nothing is changed
 * and the reason says what to do. {@code --3way} falls back to a three-way merge for hunks whose context moved.
 */
public final class ChangesApplier {
    /** The diff and what the artifact says about it. */
    public record Change(byte[] diff, int filesChanged, int insertions, int deletions, String baseRef,
            String baseCommit, String pushedBranch, String pushedCommit) {}

    /** What happened: the files it touched (from the diff) and git's summary. */
    public record Applied(List<String> files, String summary) {}

    /** One file of a diff: its path and its added and deleted lines (-1 for a binary file). */
    public record FileStat(String path, int added, int deleted) {}

    private ChangesApplier() {}

    /** The task's last {@code changes} artifact (A2A 1.0 task JSON); empty when the task changed nothing. */
    public static Optional<Change> find(JsonNode task) {
        JsonNode found = null;
        for (JsonNode a : task.path("artifacts")) {
            if (WorkspaceExtension.CHANGES_ARTIFACT.equals(a.path("name").asText())) {
                found = a;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        byte[] diff = null;
        JsonNode data = null;
        for (JsonNode part : found.path("parts")) {
            boolean isDiff = WorkspaceExtension.DIFF_MEDIA_TYPE.equals(part.path("mediaType").asText());
            if (isDiff && part.has("text")) {
                diff = part.path("text").asText().getBytes(StandardCharsets.UTF_8);
            } else if (isDiff && part.has("raw")) {
                diff = Base64.getDecoder().decode(part.path("raw").asText());
            } else if (part.has("data")) {
                data = part.path("data");
            }
        }
        if (data == null) {
            throw new IllegalStateException("the task's changes artifact has no data part; the gateway may be too old");
        }
        if (diff == null) {
            String why = data.path(MetadataKeys.DIFF_OMITTED).asText("");
            throw new IllegalStateException("the task's changes artifact carries no diff" + (why.isEmpty() ? "" : ": " + why));
        }
        JsonNode pushed = data.path(MetadataKeys.PUSHED);
        return Optional.of(new Change(diff, data.path(MetadataKeys.FILES_CHANGED).asInt(),
                data.path(MetadataKeys.INSERTIONS).asInt(), data.path(MetadataKeys.DELETIONS).asInt(),
                data.path(MetadataKeys.BASE_REF).asText(""), data.path(MetadataKeys.BASE_COMMIT).asText(""),
                pushed.path(MetadataKeys.BRANCH).asText(null), pushed.path(MetadataKeys.COMMIT).asText(null)));
    }

    /**
     * Applies the change to the checkout {@code dir} is in. Throws {@link NotApplicable} (nothing changed) when git
     * refuses it.
     */
    public static Applied apply(Path dir, String taskId, Change change, boolean threeWay)
            throws IOException, InterruptedException {
        Path root = target(dir, threeWay);
        GitRunner git = new GitRunner(root);
        List<String> check = new ArrayList<>(List.of("apply", "--check", "--whitespace=nowarn"));
        if (threeWay) {
            check.add("--3way");
        }
        GitRunner.Result checked = git.run(Map.of(), change.diff(), check.toArray(String[]::new));
        if (checked.exit() != 0) {
            throw new NotApplicable("the change of task " + taskId + " does not apply to " + root + "; nothing was "
                    + "changed.\n" + checked.err().strip() + "\nIt was made against " + describeBase(change)
                    + (threeWay ? "." : "; try `--3way` to merge hunks whose context moved")
                    + (change.pushedBranch() == null ? "" : ", or fetch the pushed branch " + change.pushedBranch()));
        }
        List<String> args = new ArrayList<>(List.of("apply", "--whitespace=nowarn"));
        if (threeWay) {
            args.add("--3way");
        }
        GitRunner.Result done = git.run(Map.of(), change.diff(), args.toArray(String[]::new));
        if (done.exit() != 0) {
            throw new NotApplicable("git apply of task " + taskId + " failed after its check passed: " + done.err().strip());
        }
        List<String> files = new GitRunner(root).run(Map.of(), change.diff(), "apply", "--numstat").text().lines()
                .map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList();
        return new Applied(files, change.filesChanged() + " file" + (change.filesChanged() == 1 ? "" : "s")
                + " changed, +" + change.insertions() + " -" + change.deletions() + " applied to " + root
                + (done.err().isBlank() ? "" : "\n" + done.err().strip()));
    }

    /** The files of the change with their line counts ({@code git apply --numstat}, run in {@code dir}). */
    public static List<FileStat> files(Path dir, Change change) throws IOException, InterruptedException {
        GitRunner.Result r = new GitRunner(dir).run(Map.of(), change.diff(), "apply", "--numstat");
        if (r.exit() != 0) {
            throw new IOException("git apply --numstat cannot read the change: " + r.err().strip());
        }
        List<FileStat> out = new ArrayList<>();
        for (String line : r.text().lines().toList()) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) {
                out.add(new FileStat(f[2], f[0].equals("-") ? -1 : Integer.parseInt(f[0]),
                        f[1].equals("-") ? -1 : Integer.parseInt(f[1])));
            }
        }
        return out;
    }

    /**
     * Applies a conversation's change when an earlier change of the same conversation ({@code previous}) is applied
     * already. The agent's diff covers everything since the workspace's base, so {@code previous} is taken out first
     * ({@code git apply -R}, checked) and the whole new change applied; when the new one does not apply,
     * {@code previous} is put back, so the checkout is as it was. {@code previous} null: {@link #apply}.
     */
    public static Applied applyOver(Path dir, String taskId, Change change, byte[] previous)
            throws IOException, InterruptedException {
        if (previous == null) {
            return apply(dir, taskId, change, false);
        }
        Path root = target(dir, false);
        GitRunner git = new GitRunner(root);
        GitRunner.Result back = git.run(Map.of(), previous, "apply", "-R", "--check", "--whitespace=nowarn");
        if (back.exit() != 0) {
            throw new NotApplicable("the change of task " + taskId + " includes this conversation's change applied "
                    + "before, but the files of that one changed since; nothing was changed.\n" + back.err().strip()
                    + "\nSee it with `codetether diff " + taskId + "` and apply by hand");
        }
        run(git, previous, "apply", "-R", "--whitespace=nowarn");
        try {
            return apply(root, taskId, change, false);
        } catch (NotApplicable | RuntimeException refused) {
            run(git, previous, "apply", "--whitespace=nowarn");
            throw refused;
        }
    }

    /**
     * Where the diff's paths start: the top of the checkout {@code dir} is in, or {@code dir} itself when it is a
     * plain directory (its workspace went as a .tar.gz of that directory; {@code git apply} outside a repository
     * works as a careful {@code patch}: checked first, no path outside the directory or through a symbolic link).
     */
    static Path target(Path dir, boolean threeWay) throws IOException, InterruptedException {
        java.util.Optional<Path> root = CheckoutArchive.checkoutRoot(dir);
        if (root.isPresent()) {
            return root.get();
        }
        if (threeWay) {
            throw new IllegalArgumentException(dir.toAbsolutePath() + " is not in a git checkout; --3way needs one "
                    + "(without it the change applies to a plain directory when every hunk matches)");
        }
        return dir.toAbsolutePath().normalize();
    }

    private static void run(GitRunner git, byte[] diff, String... args) throws IOException, InterruptedException {
        GitRunner.Result r = git.run(Map.of(), diff, args);
        if (r.exit() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed after its check passed: " + r.err().strip());
        }
    }

    /** Writes the diff to a file (for a look before applying). */
    public static void save(Change change, Path file) throws IOException {
        Files.write(file, change.diff());
    }

    private static String describeBase(Change change) {
        String commit = change.baseCommit().length() > 12 ? change.baseCommit().substring(0, 12) : change.baseCommit();
        return (change.baseRef().isEmpty() ? "an empty tree" : change.baseRef()) + (commit.isEmpty() ? "" : " (" + commit + ")");
    }

    /** git refused the change; the message says why and what to try. */
    public static final class NotApplicable extends IOException {
        public NotApplicable(String message) {
            super(message);
        }
    }
}
