package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

class TaskFoldTest {
    static TaskEvent status(TaskState s) {
        return new TaskEvent.StatusChanged("t", "c", "w", TaskStatus.of(s), null, null);
    }

    static TaskEvent chunk(String text, boolean append) {
        return new TaskEvent.ArtifactAdded("t", "c", "w",
                new Artifact("a", null, null, List.of(Part.Text.of(text)), null, null), append, false, null);
    }

    @Test
    void foldsStatusArtifactsAndHistory() {
        Task t = TaskFold.apply(null, status(TaskState.SUBMITTED));
        Message m = Message.agentText("m1", "c", "t", "hi");
        t = TaskFold.apply(t, new TaskEvent.MessageAdded("t", "c", "w", m, null));
        t = TaskFold.apply(t, new TaskEvent.MessageAdded("t", "c", "w", m, null));
        assertEquals(1, t.history().size(), "a redelivered message is kept once");
        t = TaskFold.apply(t, chunk("a", false));
        t = TaskFold.apply(t, chunk("b", true));
        assertEquals(2, t.artifacts().get(0).parts().size());
        t = TaskFold.apply(t, chunk("c", false));
        assertEquals(1, t.artifacts().get(0).parts().size(), "a non-append chunk replaces the artifact");
        t = TaskFold.apply(t, status(TaskState.COMPLETED));
        assertEquals(TaskState.COMPLETED, t.status().state());
    }

    @Test
    void streamedPartialTextIsTheStatusButNotHistoryAndTheAnswerIsKeptOnce() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        for (String partial : List.of("Hel", "Hello wor")) {
            t = TaskFold.apply(t, new TaskEvent.StatusChanged("t", "c", "w", new TaskStatus(TaskState.WORKING,
                    Message.agentText("p-" + partial.length(), "c", "t", partial), null),
                    run.codetether.contracts.events.Progress.step(1).asPartial(false), java.util.Map.of(), null));
            assertEquals(partial, t.status().message().text());
        }
        assertEquals(0, t.history().size(), "partial text is not history");
        Message answer = Message.agentText("final", "c", "t", "Hello world");
        t = TaskFold.apply(t, new TaskEvent.MessageAdded("t", "c", "w", answer, null));
        t = TaskFold.apply(t, new TaskEvent.StatusChanged("t", "c", "w", new TaskStatus(TaskState.COMPLETED, answer, null),
                null, null));
        assertEquals(List.of("Hello world"), t.history().stream().map(Message::text).toList());
    }

    @Test
    void terminalTasksNeverChange() {
        Task canceled = TaskFold.apply(TaskFold.apply(null, status(TaskState.WORKING)), status(TaskState.CANCELED));
        assertSame(canceled, TaskFold.apply(canceled, status(TaskState.COMPLETED)));
        assertSame(canceled, TaskFold.apply(canceled, chunk("late", false)));
    }

    @Test
    void viewSkipsReplayedOffsetsAndTellsListenersInOrder() {
        TaskView view = new TaskView();
        List<String> seen = new java.util.ArrayList<>();
        view.subscribe("t", (e, after, offset) -> seen.add(offset + ":" + after.status().state()));
        view.apply(status(TaskState.SUBMITTED), 10, v -> { });
        view.apply(status(TaskState.WORKING), 11, v -> { });
        view.apply(status(TaskState.WORKING), 11, v -> { });
        view.apply(status(TaskState.COMPLETED), 12, v -> { });
        assertEquals(List.of("10:SUBMITTED", "11:WORKING", "12:COMPLETED"), seen);
        TaskView restored = new TaskView();
        restored.restore(view.get("t").orElseThrow(), 12);
        restored.apply(status(TaskState.WORKING), 11, v -> { });
        assertEquals(TaskState.COMPLETED, restored.get("t").orElseThrow().status().state());
    }
}
