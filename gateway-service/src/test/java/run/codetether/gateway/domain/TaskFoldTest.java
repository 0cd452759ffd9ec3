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
        assertEquals(List.of(Part.Text.of("ab")), t.artifacts().get(0).parts(), "appended text joins the text before");
        t = TaskFold.apply(t, new TaskEvent.ArtifactAdded("t", "c", "w", new Artifact("a", null, null,
                List.of(new Part.Data(java.util.Map.of("k", 1), null)), null, null), true, false, null));
        assertEquals(2, t.artifacts().get(0).parts().size(), "a part that is not text is a part of its own");
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

    static TaskEvent.ArtifactAdded streamed(String text, long offset) {
        return TaskEvent.ArtifactAdded.textChunk("t", "c", "w", Artifact.answerId("t"), Artifact.ANSWER, text, offset,
                1);
    }

    @Test
    void aStreamedAnswerIsTheTextSoFarOnceFinishedItIsTheAnswerAlone() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, streamed("Hel", 0));
        t = TaskFold.apply(t, streamed("lo wor", 3));
        t = TaskFold.apply(t, streamed("lo wor", 3)); // delivered again: placed at its offset, not repeated
        t = TaskFold.apply(t, streamed("ld", 9));
        Artifact so = t.artifacts().get(0);
        assertEquals(List.of(Part.Text.of("Hello world")), so.parts(), "GetTask during the stream: the text so far");
        assertEquals(java.util.Map.of("partial", true, "step", 1), so.metadata(), "marked streaming, no chunk offset");
        assertEquals(0, t.history().size());
        t = TaskFold.apply(t, streamed("Bye", 0)); // the next model call's text replaces the last call's
        assertEquals("Bye", ((Part.Text) t.artifacts().get(0).parts().get(0)).text());
        Artifact answer = new Artifact(Artifact.answerId("t"), Artifact.ANSWER, "final",
                List.of(Part.Text.of("Bye now")), null, null);
        t = TaskFold.apply(t, new TaskEvent.ArtifactAdded("t", "c", "w", answer, false, true, null));
        t = TaskFold.apply(t, status(TaskState.COMPLETED));
        assertEquals(List.of(answer), t.artifacts(), "the finished answer replaced the chunks, as one artifact");
    }

    @Test
    void aRunThatStopsWhileItsAnswerStreamsKeepsNoHalfAnswer() {
        for (TaskState end : List.of(TaskState.CANCELED, TaskState.FAILED, TaskState.INPUT_REQUIRED)) {
            Task t = TaskFold.apply(null, status(TaskState.WORKING));
            t = TaskFold.apply(t, chunk("kept", false));
            t = TaskFold.apply(t, streamed("half an ans", 0));
            assertEquals(2, t.artifacts().size());
            t = TaskFold.apply(t, status(end));
            assertEquals(List.of("a"), t.artifacts().stream().map(Artifact::artifactId).toList(), end.name());
        }
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
