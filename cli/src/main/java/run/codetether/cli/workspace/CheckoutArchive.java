package run.codetether.cli.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * A local directory as the archive {@code run --workspace} sends. A git checkout travels as a git bundle of its
 * current branch's history, HEAD, and, when anything is uncommitted, {@value WorkspaceExtension#WORKTREE_REF}: a
 * commit on top of HEAD whose tree is the working tree (modified and untracked files that .gitignore does not
 * exclude), so the task starts from the checkout exactly as it is and its diff applies back onto it. The commit is
 * built in a temporary index (the user's index and files are not touched) and its ref is deleted after the bundle
 * is written.
 *
 * <p>A checkout whose git objects exceed {@value #HISTORY_MAX_ENV} (default {@value #DEFAULT_HISTORY_MAX_BYTES}
 * bytes, as {@code git count-objects} counts them) travels without its history: HEAD's tree as one parentless
 * commit (its subject kept, the original id named in its message) on the same branch name, plus the worktree commit
 * on top. git has no standalone shallow bundle (a bundle's missing parents are prerequisites the receiver must
 * already have), so the commits are made in a temporary bare repository that borrows the checkout's objects
 * (alternates); the user's repository gains nothing but the working tree's tree objects. The task's diff is made
 * against that tree, so it applies to the checkout all the same.
 *
 * <p>Any other directory travels as a .tar.gz of the files a checkout would carry ({@link DirectoryArchive}: its
 * {@code .gitignore} rules apply, and what they leave out is named).
 */
public final class CheckoutArchive {
    /** What goes into the message: the bytes, their media type and a name. */
    public record Archive(byte[] bytes, String mediaType, String name, String description) {}

    /** The environment variable that sets the history limit in bytes ({@code 0}: always without history). */
    public static final String HISTORY_MAX_ENV = "CODETETHER_WORKSPACE_HISTORY_MAX_BYTES";
    public static final long DEFAULT_HISTORY_MAX_BYTES = 16L << 20;

    private CheckoutArchive() {}

    /** The archive of {@code dir}; the history limit from {@value #HISTORY_MAX_ENV}. */
    public static Archive of(Path dir) throws IOException, InterruptedException {
        String env = System.getenv(HISTORY_MAX_ENV);
        long max;
        try {
            max = env == null || env.isBlank() ? DEFAULT_HISTORY_MAX_BYTES : Long.parseLong(env.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HISTORY_MAX_ENV + "=" + env + ": not a number of bytes");
        }
        return of(dir, max);
    }

    /** @param historyMaxBytes a checkout with more git objects than this travels without its history */
    public static Archive of(Path dir, long historyMaxBytes) throws IOException, InterruptedException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new IllegalArgumentException("--workspace " + dir + ": not a directory");
        }
        GitRunner git = new GitRunner(abs);
        GitRunner.Result top = git.run(Map.of(), null, "rev-parse", "--show-toplevel");
        if (top.exit() != 0) {
            return DirectoryArchive.of(abs);
        }
        return bundle(Path.of(top.text()), historyMaxBytes);
    }

    /**
     * The top of the git checkout {@code dir} is in, or empty when it is in none. git itself answers (worktrees,
     * {@code .git} files, ceilings), but only when a {@code .git} entry exists in {@code dir} or above it or the
     * environment names a repository ({@code GIT_DIR}, {@code GIT_WORK_TREE}): without one git's own search finds
     * nothing either, and a plain directory is then known without starting a process (start-up time of
     * {@code run}; and no git needed on the machine for it).
     */
    public static java.util.Optional<Path> checkoutRoot(Path dir) throws IOException, InterruptedException {
        if (System.getenv("GIT_DIR") == null && System.getenv("GIT_WORK_TREE") == null && !underGit(dir)) {
            return java.util.Optional.empty();
        }
        GitRunner.Result top = new GitRunner(dir.toAbsolutePath()).run(Map.of(), null, "rev-parse", "--show-toplevel");
        return top.exit() == 0 ? java.util.Optional.of(Path.of(top.text())) : java.util.Optional.empty();
    }

    private static boolean underGit(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private static Archive bundle(Path root, long historyMaxBytes) throws IOException, InterruptedException {
        GitRunner git = new GitRunner(root);
        if (git.run(Map.of(), null, "rev-parse", "--verify", "-q", "HEAD").exit() != 0) {
            throw new IllegalArgumentException(root + " is a git checkout without a commit; commit once, then send it"
                    + " (the bundle needs a HEAD)");
        }
        String head = git.ok(Map.of(), "rev-parse", "HEAD").text();
        String branch = git.run(Map.of(), null, "symbolic-ref", "-q", "HEAD").text();
        Path tmp = Files.createTempDirectory("codetether-bundle-");
        String ref = WorkspaceExtension.WORKTREE_REF;
        boolean refMade = false;
        try {
            Map<String, String> index = Map.of("GIT_INDEX_FILE", tmp.resolve("index").toString());
            // a copy of the user's index: its stat cache spares hashing unchanged files (their index stays as it is)
            Path real = root.resolve(git.ok(Map.of(), "rev-parse", "--git-path", "index").text());
            if (Files.isRegularFile(real)) {
                Files.copy(real, tmp.resolve("index"));
            } else {
                git.ok(index, "read-tree", "HEAD");
            }
            git.ok(index, "add", "-A");
            String tree = git.ok(index, "write-tree").text();
            boolean dirty = !tree.equals(git.ok(Map.of(), "rev-parse", "HEAD^{tree}").text());
            int changed = dirty ? git.ok(Map.of(), "diff", "--name-only", "HEAD", tree).text().lines().toList().size() : 0;
            // a fixed identity and HEAD's date: the same checkout state gives the same commits
            String date = git.ok(Map.of(), "log", "-1", "--format=%cI", "HEAD").text();
            Map<String, String> who = Map.of("GIT_AUTHOR_NAME", "codetether", "GIT_AUTHOR_EMAIL",
                    "codetether@localhost", "GIT_COMMITTER_NAME", "codetether", "GIT_COMMITTER_EMAIL",
                    "codetether@localhost", "GIT_AUTHOR_DATE", date, "GIT_COMMITTER_DATE", date);
            long history = objectBytes(git);
            boolean shallow = history > historyMaxBytes;
            GitRunner target = git;
            String base = "HEAD";
            if (shallow) {
                Path bare = tmp.resolve("shallow.git");
                git.ok(Map.of(), "init", "-q", "--bare", bare.toString());
                Path objects = root.resolve(git.ok(Map.of(), "rev-parse", "--git-path", "objects").text())
                        .toAbsolutePath().normalize();
                Files.writeString(bare.resolve("objects/info/alternates"), objects + "\n");
                target = new GitRunner(bare);
                String subject = git.ok(Map.of(), "log", "-1", "--format=%s", "HEAD").text();
                base = commit(target, who, subject + "\n\ncodetether: " + head + " without its history\n",
                        git.ok(Map.of(), "rev-parse", "HEAD^{tree}").text());
                if (branch.isEmpty()) {
                    target.ok(Map.of(), "update-ref", "--no-deref", "HEAD", base);
                } else {
                    target.ok(Map.of(), "update-ref", branch, base);
                    target.ok(Map.of(), "symbolic-ref", "HEAD", branch);
                }
            }
            if (dirty) {
                String commit = commit(target, who, "codetether: uncommitted and untracked files\n", tree, "-p",
                        base);
                target.ok(Map.of(), "update-ref", ref, commit);
                refMade = !shallow; // the temporary repository goes with tmp
            }
            List<String> args = new ArrayList<>(List.of("bundle", "create", "-q", tmp.resolve("x.bundle").toString(),
                    "HEAD"));
            if (!branch.isEmpty()) {
                args.add(branch);
            }
            if (dirty) {
                args.add(ref);
            }
            target.ok(Map.of(), args.toArray(String[]::new));
            byte[] bytes = Files.readAllBytes(tmp.resolve("x.bundle"));
            String name = root.getFileName() + ".bundle";
            long files = git.ok(Map.of(), "ls-tree", "-r", "--name-only", tree).text().lines().count();
            String what = "git checkout " + root + " at " + (branch.isEmpty() ? "detached HEAD" : branch
                    .replaceFirst("^refs/heads/", "")) + " (" + head.substring(0, 12) + "), " + files + " file"
                    + (files == 1 ? "" : "s") + (dirty ? ", with " + changed + " uncommitted file" + (changed == 1 ? "" : "s") + " (changed, new or deleted)" : "")
                    + (shallow ? ", without its history (" + mib(history) + " of git objects, more than "
                            + HISTORY_MAX_ENV + "=" + historyMaxBytes + ")" : "");
            return new Archive(bytes, WorkspaceExtension.BUNDLE_MEDIA_TYPE, name, what);
        } finally {
            if (refMade) {
                git.run(Map.of(), null, "update-ref", "-d", ref);
            }
            deleteTree(tmp);
        }
    }

    private static String commit(GitRunner git, Map<String, String> who, String message, String... treeAndParents)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("commit-tree"));
        args.addAll(List.of(treeAndParents));
        GitRunner.Result r = git.run(who, message.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new IOException("git commit-tree failed: " + r.err().strip());
        }
        return r.text();
    }

    /** The bytes of the repository's git objects (packed and loose), as {@code git count-objects -v} counts them. */
    private static long objectBytes(GitRunner git) throws IOException, InterruptedException {
        long kib = 0;
        for (String line : git.ok(Map.of(), "count-objects", "-v").text().split("\n")) {
            String[] kv = line.split(":\\s*", 2);
            if (kv.length == 2 && (kv[0].equals("size") || kv[0].equals("size-pack"))) {
                kib += Long.parseLong(kv[1].strip());
            }
        }
        return kib * 1024;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
