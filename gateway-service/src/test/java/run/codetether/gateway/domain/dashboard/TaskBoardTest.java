package run.codetether.gateway.domain.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.domain.Caller;

class TaskBoardTest {
    final AtomicLong clock = new AtomicLong(1_000_000);

    TaskBoard board(int max) {
        return new TaskBoard(max, clock::get);
    }

    static void run(TaskBoard b, String id, String owner, int second) {
        b.apply(SummaryFoldTest.submitted(id, owner, null, null, second), 0,
                second * 10L);
        b.apply(SummaryFoldTest.status(id, TaskState.COMPLETED, "ok", Map.of(), second), 0, second * 10L + 1);
    }

    @Test
    void theBoardForgetsTheOldestEndedTasksPastItsBound() {
        TaskBoard b = board(100);
        for (int i = 0; i < 1_000; i++) {
            run(b, "t" + i, "alice", i);
        }
        b.apply(SummaryFoldTest.status("running", TaskState.WORKING, null, Map.of(), 0), 1, 0);
        assertTrue(b.size() <= 110, "size " + b.size());
        assertTrue(b.get("t999").isPresent());
        assertFalse(b.get("t0").isPresent());
        assertTrue(b.get("running").isPresent(), "a running task outlives ended ones even when older");
    }

    @Test
    void aSubscriberGetsEachChangedTaskOnceAndAReloadWhenItFallsBehind() throws Exception {
        TaskBoard b = board(10_000);
        BoardSubscription s = b.subscribe(50);
        for (int i = 0; i < 20; i++) {
            run(b, "t" + i, "alice", i);
        }
        BoardSubscription.Batch batch = s.await(Duration.ofSeconds(1));
        assertEquals(20, batch.taskIds().size(), "two events per task, one entry per task");
        assertFalse(batch.reload());
        assertTrue(s.await(Duration.ofMillis(10)).isEmpty());
        for (int i = 0; i < 60; i++) {
            run(b, "u" + i, "alice", i);
        }
        batch = s.await(Duration.ofSeconds(1));
        assertTrue(batch.reload(), "past 50 pending ids the page reloads its list instead");
        assertTrue(batch.taskIds().isEmpty());
        b.unsubscribe(s);
        assertEquals(0, b.subscribers());
    }

    @Test
    void callersSeeTheirOwnTasksAndASwarmsSubAgentsBelongToItsOwner() {
        TaskBoard b = board(100);
        run(b, "a1", "alice", 1);
        run(b, "b1", "bob", 2);
        // a sub-agent reports before its swarm names it: nobody but an open gateway sees it yet
        b.apply(SummaryFoldTest.status("sw.s.x.a1", TaskState.WORKING, null, Map.of("step", 1), 3), 1, 1);
        Caller alice = new Caller("alice");
        assertEquals(List.of("a1"), b.list(s -> Access.visible(s, alice, null), 10).stream().map(TaskSummary::id).toList());
        assertEquals(3, b.list(s -> Access.visible(s, Caller.ANONYMOUS, null), 10).size());

        b.apply(SummaryFoldTest.submitted("sw", "alice", null, "swarm", 4), 2, 1);
        b.apply(SummaryFoldTest.status("sw", TaskState.WORKING, "dispatched", Map.of("subtask_id", "x",
                "subtask_task_id", "sw.s.x.a1", "subtask_status", "dispatched"), 5), 2, 2);
        TaskSummary child = b.get("sw.s.x.a1").orElseThrow();
        assertEquals("alice", child.owner());
        assertEquals("sw", child.parentId());
        assertEquals(List.of("sw.s.x.a1"), b.children("sw").stream().map(TaskSummary::id).toList());
        assertTrue(Access.visible(child, alice, null));
        assertFalse(Access.visible(child, new Caller("bob"), null));
        assertFalse(Access.visible(child, alice, "other-tenant"));
    }

    @Test
    void theStateTopicFillsWhatTheReplayedEventsDidNotTell() {
        TaskBoard b = board(100);
        b.apply(SummaryFoldTest.status("t", TaskState.WORKING, null, Map.of("step", 3), 5), 0, 500);
        b.restore(new Task("t", "ctx", new TaskStatus(TaskState.COMPLETED, null, SummaryFoldTest.T0.plusSeconds(9)),
                null, null, Map.of(), new Task.Submission("alice", null, null)));
        TaskSummary s = b.get("t").orElseThrow();
        assertEquals("alice", s.owner());
        assertEquals("completed", s.state());
        assertEquals(3, s.steps());
    }

    @Test
    void ratesCountTasksOverTheLastTenSeconds() {
        TaskBoard b = board(1_000);
        for (int i = 0; i < 50; i++) {
            run(b, "t" + i, "alice", i);
        }
        TaskBoard.Stats stats = b.stats(s -> true);
        assertEquals(5.0, stats.finishedPerSecond(), 1e-9);
        assertEquals(0, stats.active());
        clock.addAndGet(20_000);
        assertEquals(0.0, b.stats(s -> true).finishedPerSecond(), 1e-9);
    }
}
