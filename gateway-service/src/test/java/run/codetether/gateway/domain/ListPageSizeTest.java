package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;

/**
 * Issue 19 item 1: one ListTasks page of 100 large tasks was 91 MB. A page now ends at a size cap; the next page
 * token continues after the last task shown, so paging still reaches every task exactly once.
 */
class ListPageSizeTest {
    private static final long CAP = 2_500_000;

    @Test
    void aPageOfLargeTasksEndsAtTheSizeCapAndPagingReachesEveryTaskOnce() {
        TaskView view = new TaskView();
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            Artifact big = new Artifact("a" + i, "out", null, List.of(Part.Text.of("x".repeat(1_000_000))), null,
                    null);
            view.restore(new Task("t" + i, "c", new TaskStatus(TaskState.COMPLETED, null, t0.plusSeconds(i)),
                    List.of(big), List.of(), Map.of(), new Task.Submission("alice", null, null)), i);
        }
        TaskEngine engine = new TaskEngine(null, view, "test", () -> "id", CAP);
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            TaskPage page = engine.list(new ListQuery(null, null, null, 100, token, null, null, true),
                    new Caller("alice"));
            long bytes = page.tasks().stream().mapToLong(TaskSize::of).sum();
            assertTrue(bytes <= CAP, "page of " + bytes + " bytes");
            assertTrue(page.tasks().size() <= 2, "two 1 MB tasks fit under 2.5 MB, three do not");
            page.tasks().forEach(t -> seen.add(t.id()));
            token = page.nextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(List.of("t4", "t3", "t2", "t1", "t0"), seen, "newest first, each once");
        assertEquals(3, pages);
    }

    @Test
    void aSingleTaskOverTheCapIsStillListed() {
        TaskView view = new TaskView();
        Artifact huge = new Artifact("a", "out", null, List.of(Part.Text.of("x".repeat(3_000_000))), null, null);
        view.restore(new Task("t", "c", new TaskStatus(TaskState.COMPLETED, null, Instant.now()), List.of(huge),
                List.of(), Map.of(), new Task.Submission("alice", null, null)), 0);
        TaskPage page = new TaskEngine(null, view, "test", () -> "id", CAP).list(
                new ListQuery(null, null, null, 10, null, null, null, true), new Caller("alice"));
        assertEquals(1, page.tasks().size());
        assertEquals("", page.nextPageToken());
    }
}
