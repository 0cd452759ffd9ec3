package run.codetether.tools.infra.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceResults.Author;
import run.codetether.tools.domain.git.WorkspaceResults.ChangeStats;

/**
 * One session's repository: the git directory this service owns (outside the workspace; the sandbox sees it
 * read-only) and the workspace as its work tree. Local operations only; network ones are in {@link GitWorkspaces}.
 */
final class GitRepo {

    /** The empty tree of a SHA-1 repository: the base of an empty workspace. */
    static final String EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    private static final Pattern SAFE_AUTHOR = Pattern.compile("[^<>\\n\\r\\x00]{1,200}");

    /** Untracked tool caches the sandbox leaves in HOME (= the workspace); never part of the changes. */
    static final String EXCLUDES = """
            # codetether: caches of the tools in the sandbox (HOME is the workspace). Tracked files stay tracked.
            /.m2/
            /.npm/
            /.cache/
            /.gradle/
            /.yarn/cache/
            /.local/share/
            /.bash_history
            /.python_history
            /.node_repl_history
            /.lesshst
            /.wget-hsts
            """;

    private final GitCli cli;
    private final Path gitDir;
    private final Path workTree;

    GitRepo(GitCli cli, Path gitDir, Path workTree) {
        this.cli = cli;
        this.gitDir = gitDir;
        this.workTree = workTree;
    }

    Path gitDir() {
        return gitDir;
    }

    Path workTree() {
        return workTree;
    }

    /** A new repository: the git directory here, a {@code .git} file in the workspace pointing at it; no templates. */
    void init() {
        try {
            Files.createDirectories(gitDir.getParent());
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "cannot create " + gitDir.getParent() + ": " + e.getMessage());
        }
        cli.check(new GitCli.Call(List.of("init", "-q", "--template=", "--separate-git-dir=" + gitDir, workTree.toString()),
                null, null, List.of(), Map.of(), run.codetether.tools.domain.git.Redactor.none(), 1 << 16, null),
                "git init");
        try {
            Files.createDirectories(gitDir.resolve("info"));
            Files.writeString(gitDir.resolve("info").resolve("exclude"), EXCLUDES, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "cannot write info/exclude: " + e.getMessage());
        }
    }

    GitCli.Result git(String what, String... args) {
        return cli.check(GitCli.Call.of(gitDir, workTree, args), what);
    }

    GitCli.Result gitQuiet(String... args) {
        return cli.run(GitCli.Call.of(gitDir, workTree, args));
    }

    GitCli.Result run(GitCli.Call c, String what) {
        return cli.check(new GitCli.Call(c.args(), gitDir, workTree, c.config(), c.env(), c.redactor(), c.maxStdout(),
                c.timeout()), what);
    }

    GitCli.Result runRaw(GitCli.Call c) {
        return cli.run(new GitCli.Call(c.args(), gitDir, workTree, c.config(), c.env(), c.redactor(), c.maxStdout(),
                c.timeout()));
    }

    void config(String key, String value) {
        git("git config", "config", key, value);
    }

    Optional<String> head() {
        GitCli.Result r = gitQuiet("rev-parse", "--verify", "-q", "HEAD^{commit}");
        return r.exit() == 0 ? Optional.of(r.out()) : Optional.empty();
    }

    /** The current branch, empty when detached (or unborn: then the branch HEAD will create). */
    String branch() {
        GitCli.Result r = gitQuiet("symbolic-ref", "-q", "--short", "HEAD");
        return r.exit() == 0 ? r.out() : "";
    }

    void checkout(String commit, String branch) {
        if (branch.isEmpty()) {
            git("git checkout", "checkout", "-q", "--detach", commit);
        } else {
            git("git checkout", "checkout", "-q", "-B", branch, commit);
        }
        git("git update-ref", "update-ref", "refs/codetether/base", commit);
    }

    /** Stages the whole work tree: new, changed and deleted files; ignored ones stay out. */
    void addAll() {
        git("git add", "add", "-A", "--", ".");
    }

    boolean stagedDiffers(String base) {
        GitCli.Result r = gitQuiet("diff", "--cached", "--quiet", "--no-ext-diff", base);
        if (r.exit() > 1) {
            throw GitCli.classify("git diff", r.stderr());
        }
        return r.exit() == 1;
    }

    /** The staged tree against {@code base} as a patch `git apply` takes (binary patches, renames, deletions). */
    byte[] stagedPatch(String base, long maxBytes) {
        try {
            return cli.check(GitCli.Call.of(gitDir, workTree, "diff", "--cached", "--binary", "--full-index", "-M",
                    "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", base)
                    .withMaxStdout(maxBytes), "git diff").stdout();
        } catch (WorkspaceException e) {
            if (e.code() == Code.TOO_LARGE) {
                throw new WorkspaceException(Code.TOO_LARGE, "the diff is larger than " + maxBytes + " bytes"
                        + " (codetether.tools.git.max-diff-bytes); push a branch instead");
            }
            throw e;
        }
    }

    ChangeStats stats(List<String> range, String baseRef, String baseCommit) {
        List<String> args = new ArrayList<>(List.of("diff", "--numstat", "-M", "--no-ext-diff", "--no-textconv"));
        args.addAll(range);
        String out = cli.check(GitCli.Call.of(gitDir, workTree, args.toArray(String[]::new))
                .withMaxStdout(64L << 20), "git diff --numstat").out();
        int files = 0;
        int ins = 0;
        int del = 0;
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            files++;
            String[] f = line.split("\t", 3);
            ins += f[0].equals("-") ? 0 : Integer.parseInt(f[0]);
            del += f.length > 1 && !f[1].equals("-") ? Integer.parseInt(f[1]) : 0;
        }
        return new ChangeStats(files, ins, del, baseRef, baseCommit);
    }

    /** Commits what is staged with the author as author and committer; hooks never run. */
    String commit(String message, Author author, boolean allowEmpty) {
        if (!SAFE_AUTHOR.matcher(author.name()).matches() || !SAFE_AUTHOR.matcher(author.email()).matches()) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "author name and email must be 1-200 characters"
                    + " without <, > or line breaks");
        }
        List<String> args = new ArrayList<>(List.of("commit", "-q", "--no-verify", "--cleanup=whitespace", "-m", message));
        if (allowEmpty) {
            args.add("--allow-empty");
        }
        cli.check(new GitCli.Call(args, gitDir, workTree, List.of("user.name=" + author.name(),
                "user.email=" + author.email()), Map.of("GIT_AUTHOR_NAME", author.name(), "GIT_AUTHOR_EMAIL",
                        author.email(), "GIT_COMMITTER_NAME", author.name(), "GIT_COMMITTER_EMAIL", author.email()),
                run.codetether.tools.domain.git.Redactor.none(), 1 << 20, null), "git commit");
        return head().orElseThrow(() -> new WorkspaceException(Code.FAILED, "git commit made no commit"));
    }
}
