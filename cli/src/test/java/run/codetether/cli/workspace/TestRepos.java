package run.codetether.cli.workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real git checkout for the change tests: a.txt holding "old", committed once on main. */
final class TestRepos {
    private TestRepos() {
    }

    static Path withOldA(Path dir) throws Exception {
        Path repo = Files.createDirectories(dir);
        GitRunner git = new GitRunner(repo);
        git.ok(Map.of(), "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("a.txt"), "old\n");
        git.ok(Map.of(), "add", "-A");
        git.ok(Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@localhost", "GIT_COMMITTER_NAME", "t",
                "GIT_COMMITTER_EMAIL", "t@localhost"), "commit", "-q", "-m", "first");
        return repo;
    }
}
