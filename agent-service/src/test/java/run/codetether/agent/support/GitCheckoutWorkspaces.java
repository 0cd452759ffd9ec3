package run.codetether.agent.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.contracts.events.TaskWorkspace;

/**
 * The workspace port over a real git checkout: each session's workspace is the directory the test's tools write
 * in, made a git repository with a base commit when it is prepared; its change is what {@code git diff} says against
 * that commit (new files included), as tools-service's GetChanges reports it. Pushing is not offered.
 */
public final class GitCheckoutWorkspaces implements Workspaces {
    private final Function<String, Path> dirs;

    /** @param dirs the directory of a session's workspace (the tools server's) */
    public GitCheckoutWorkspaces(Function<String, Path> dirs) {
        this.dirs = dirs;
    }

    @Override
    public Prepared prepare(String sessionId, TaskWorkspace.Source source, boolean egress) throws Failure {
        Path dir = dirs.apply(sessionId);
        boolean reused = Files.isDirectory(dir.resolve(".git"));
        if (!reused) {
            git(dir, "init", "-q", "-b", "main");
            git(dir, "-c", "user.name=t", "-c", "user.email=t@127.0.0.1", "commit", "-q", "--allow-empty", "-m",
                    "base");
        }
        return new Prepared("empty", "", "main", base(dir), "main", egress, reused, 1, List.of());
    }

    @Override
    public Changes changes(String sessionId) throws Failure {
        Path dir = dirs.apply(sessionId);
        String base = base(dir);
        git(dir, "add", "-A");
        byte[] diff = git(dir, "diff", "--cached", "--binary", base);
        int files = 0;
        int plus = 0;
        int minus = 0;
        for (String line : new String(git(dir, "diff", "--cached", "--numstat", base), StandardCharsets.UTF_8)
                .split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                files++;
                plus += f[0].equals("-") ? 0 : Integer.parseInt(f[0]);
                minus += f[1].equals("-") ? 0 : Integer.parseInt(f[1]);
            }
        }
        return new Changes(diff, new Stats(files, plus, minus, "main", base));
    }

    @Override
    public Committed commit(String sessionId, String message, Author author) throws Failure {
        throw new Failure(Failure.Kind.UNSUPPORTED, "this test's workspaces do not commit");
    }

    @Override
    public Pushed push(String sessionId, String branch, String message, Author author) throws Failure {
        throw new Failure(Failure.Kind.UNSUPPORTED, "this test's workspaces do not push");
    }

    private static String base(Path dir) throws Failure {
        return new String(git(dir, "rev-list", "--max-parents=0", "HEAD"), StandardCharsets.UTF_8).trim();
    }

    private static byte[] git(Path dir, String... args) throws Failure {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new Failure(Failure.Kind.FAILED, "git " + String.join(" ", args) + " exited " + p.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new Failure(Failure.Kind.FAILED, "git " + String.join(" ", args) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failure.Kind.FAILED, "interrupted");
        }
    }
}
