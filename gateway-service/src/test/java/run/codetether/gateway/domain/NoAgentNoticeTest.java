package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

/** Issue 19: a task that waits while no agent runs says so in its status, once, in its own state. */
class NoAgentNoticeTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private static Task task(String id, TaskState state, Instant since, String skill) {
        return new Task(id, "ctx-" + id, new TaskStatus(state, null, since), null, null, null,
                new Task.Submission("alice", null, skill));
    }

    @Test
    void waitingTasksOlderThanTheThresholdAreToldInTheirOwnStateAndOthersAreNot() {
        NoAgentNotice notice = new NoAgentNotice(Duration.ofSeconds(30));
        List<Task> tasks = List.of(
                task("queued", TaskState.SUBMITTED, T0, null),
                task("orphan", TaskState.WORKING, T0.plusSeconds(5), null),
                task("fresh", TaskState.SUBMITTED, T0.plusSeconds(20), null),
                task("done", TaskState.COMPLETED, T0, null),
                task("asks", TaskState.INPUT_REQUIRED, T0, null),
                task("swarm", TaskState.WORKING, T0, "swarm"));
        List<TaskEvent.StatusChanged> due = notice.due(tasks, T0.plusSeconds(40), "gw-1");
        assertEquals(List.of("queued", "orphan"), due.stream().map(TaskEvent::taskId).toList());
        TaskEvent.StatusChanged queued = due.get(0);
        assertEquals(TaskState.SUBMITTED, queued.status().state(), "the task keeps its state");
        assertEquals("No agent is running: no agent-service has picked this task up for 40 s. It waits and runs as"
                + " soon as an agent-service replica starts.", queued.status().message().text());
        assertEquals("no-agent-queued", queued.status().message().messageId(), "one id per task: kept once");
        TaskEvent.StatusChanged orphan = due.get(1);
        assertEquals(TaskState.WORKING, orphan.status().state());
        assertTrue(orphan.status().message().text().contains("no agent-service has taken it over for 35 s"),
                orphan.status().message().text());
    }

    @Test
    void aTaskAlreadyToldIsNotToldAgain() {
        NoAgentNotice notice = new NoAgentNotice(Duration.ofSeconds(30));
        TaskEvent.StatusChanged first = notice.due(List.of(task("q", TaskState.SUBMITTED, T0, null)),
                T0.plusSeconds(31), "gw-1").get(0);
        Task told = TaskFold.apply(task("q", TaskState.SUBMITTED, T0, null), first);
        assertEquals(List.of(), notice.due(List.of(told), T0.plusSeconds(120), "gw-2"));
    }

    @Test
    void anyDueAnswersWhetherDueFindsANoticeAndALookalikeMessageIdIsNotANotice() {
        NoAgentNotice notice = new NoAgentNotice(Duration.ofSeconds(30));
        Instant now = T0.plusSeconds(40);
        Task told = TaskFold.apply(task("q", TaskState.SUBMITTED, T0, null),
                notice.due(List.of(task("q", TaskState.SUBMITTED, T0, null)), T0.plusSeconds(31), "gw-1").get(0));
        Task lookalike = new Task("q2", "ctx-q2", new TaskStatus(TaskState.WORKING,
                run.codetether.contracts.a2a.Message.agentText("no-agent-q", "ctx-q2", "q2", "another task's"), T0),
                null, null, null, new Task.Submission("alice", null, null));
        Task shifted = new Task("x", "ctx-x", new TaskStatus(TaskState.WORKING,
                run.codetether.contracts.a2a.Message.agentText("xno-agent-", "ctx-x", "x", "same length"), T0),
                null, null, null, new Task.Submission("alice", null, null));
        List<List<Task>> cases = List.of(List.of(), List.of(told),
                List.of(task("fresh", TaskState.SUBMITTED, T0.plusSeconds(20), null)),
                List.of(task("done", TaskState.COMPLETED, T0, null), task("swarm", TaskState.WORKING, T0, "swarm")),
                List.of(told, lookalike), List.of(shifted), List.of(task("queued", TaskState.SUBMITTED, T0, null)));
        for (List<Task> tasks : cases) {
            assertEquals(!notice.due(tasks, now, "gw-1").isEmpty(), notice.anyDue(tasks, now),
                    tasks.stream().map(Task::id).toList().toString());
        }
        assertEquals(List.of("q2"), notice.due(List.of(told, lookalike), now, "gw-1").stream()
                .map(TaskEvent::taskId).toList(), "another task's notice id is not this task's");
        assertEquals(List.of("x"), notice.due(List.of(shifted), now, "gw-1").stream().map(TaskEvent::taskId)
                .toList());
        assertTrue(NoAgentNotice.isNotice("no-agent-q", "q"));
    }
}
