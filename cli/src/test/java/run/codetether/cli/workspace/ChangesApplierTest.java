package run.codetether.cli.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TUI's apply of a conversation's later change (the agent's diff covers the whole conversation since the
 * workspace's base) over an earlier one already applied, in a real git checkout; and the files of a change.
 */
class ChangesApplierTest {
    @TempDir Path tmp;

    private static final String FIRST = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n";
    /** The conversation's whole change after its second task: a.txt further, and a new file. */
    private static final String BOTH = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+newer\n"
            + "diff --git a/b.txt b/b.txt\nnew file mode 100644\n--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n";

    private Path repo() throws Exception {
        return TestRepos.withOldA(tmp.resolve("repo"));
    }

    private static ChangesApplier.Change change(String diff, int files, int plus, int minus) {
        return new ChangesApplier.Change(diff.getBytes(StandardCharsets.UTF_8), files, plus, minus, "main", "abc", null, null);
    }

    @Test
    void aLaterChangeOfTheConversationAppliesOverTheOneAppliedBefore() throws Exception {
        Path repo = repo();
        ChangesApplier.applyOver(repo, "t1", change(FIRST, 1, 1, 1), null);
        assertEquals("new\n", Files.readString(repo.resolve("a.txt")));
        ChangesApplier.Applied second = ChangesApplier.applyOver(repo, "t2", change(BOTH, 2, 3, 1),
                FIRST.getBytes(StandardCharsets.UTF_8));
        assertEquals("newer\n", Files.readString(repo.resolve("a.txt")));
        assertEquals("one\ntwo\n", Files.readString(repo.resolve("b.txt")));
        assertTrue(second.summary().startsWith("2 files changed, +3 -1 applied to"), second.summary());
    }

    @Test
    void whenTheFilesChangedSinceNothingIsChangedAndTheReasonSaysSo() throws Exception {
        Path repo = repo();
        ChangesApplier.applyOver(repo, "t1", change(FIRST, 1, 1, 1), null);
        Files.writeString(repo.resolve("a.txt"), "mine\n");
        ChangesApplier.NotApplicable refused = assertThrows(ChangesApplier.NotApplicable.class,
                () -> ChangesApplier.applyOver(repo, "t2", change(BOTH, 2, 3, 1), FIRST.getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.getMessage().contains("nothing was changed"), refused.getMessage());
        assertEquals("mine\n", Files.readString(repo.resolve("a.txt")));
        assertTrue(!Files.exists(repo.resolve("b.txt")));
    }

    @Test
    void aNewChangeThatDoesNotApplyPutsTheEarlierOneBack() throws Exception {
        Path repo = repo();
        ChangesApplier.applyOver(repo, "t1", change(FIRST, 1, 1, 1), null);
        Files.writeString(repo.resolve("b.txt"), "in the way\n"); // the new file exists locally: git refuses
        assertThrows(ChangesApplier.NotApplicable.class,
                () -> ChangesApplier.applyOver(repo, "t2", change(BOTH, 2, 3, 1), FIRST.getBytes(StandardCharsets.UTF_8)));
        assertEquals("new\n", Files.readString(repo.resolve("a.txt")), "the earlier change is back");
        assertEquals("in the way\n", Files.readString(repo.resolve("b.txt")));
    }

    @Test
    void filesListsEachPathWithItsLines() throws Exception {
        Path repo = repo();
        assertEquals(List.of(new ChangesApplier.FileStat("a.txt", 1, 1), new ChangesApplier.FileStat("b.txt", 2, 0)),
                ChangesApplier.files(repo, change(BOTH, 2, 3, 1)));
    }
}
