package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.events.ArtifactClose;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.dashboard.Timeline;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * Issue 18: the finished answer closes the streamed chunks with only its rest ({@code append=true},
 * {@code lastChunk=true}, at its {@code text_offset}); GetTask, blocking send and the dashboard's timeline still show
 * the answer whole, exactly as when it was sent whole.
 */
class ClosedAnswerFoldTest {
    private static final Artifact WHOLE = new Artifact(Artifact.answerId("t"), Artifact.ANSWER, "final",
            List.of(Part.Text.of("Hello world, bye")), null, null);

    private static TaskEvent.ArtifactAdded chunk(String text, long offset) {
        return TaskEvent.ArtifactAdded.textChunk("t", "c", "w", Artifact.answerId("t"), Artifact.ANSWER, text, offset,
                1);
    }

    private static TaskEvent.ArtifactAdded closing(String rest, long offset) {
        return TaskEvent.ArtifactAdded.closingChunk("t", "c", "w", Artifact.answerId("t"), Artifact.ANSWER, "final",
                rest, offset);
    }

    private static TaskEvent status(TaskState s) {
        return new TaskEvent.StatusChanged("t", "c", "w", TaskStatus.of(s), Map.of(), null);
    }

    @Test
    void theClosingChunkFinishesTheStreamedAnswerAsIfItHadBeenSentWhole() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, chunk("Hello", 0));
        t = TaskFold.apply(t, chunk(" world", 5));
        TaskEvent.ArtifactAdded last = closing(", bye", 11);
        assertTrue(last.closes());
        assertFalse(last.partialUpdate(), "the finished answer is kept by readers of finished state");
        t = TaskFold.apply(t, last);
        t = TaskFold.apply(t, last); // delivered again: placed at its offset, not repeated
        t = TaskFold.apply(t, status(TaskState.COMPLETED));
        assertEquals(List.of(WHOLE), t.artifacts(), "one finished artifact, whole text in one part, no marks");
    }

    @Test
    void aClosingChunkWithNothingLeftFinishesTheArtifactAsItIs() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, chunk("Hello world, bye", 0));
        t = TaskFold.apply(t, closing("", 16));
        t = TaskFold.apply(t, status(TaskState.COMPLETED));
        assertEquals(List.of(WHOLE), t.artifacts());
    }

    @Test
    void theFinishedAnswerSentWholeStillReplacesTheChunks() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, chunk("Something else", 0));
        t = TaskFold.apply(t, new TaskEvent.ArtifactAdded("t", "c", "w", WHOLE, false, true, null));
        t = TaskFold.apply(t, status(TaskState.COMPLETED));
        assertEquals(List.of(WHOLE), t.artifacts());
    }

    @Test
    void theTimelineShowsTheClosedAnswerWholeInItsOwnEntryAsBefore() {
        Timeline.Builder b = new Timeline.Builder("t");
        b.add(1, chunk("Hello", 0));
        b.add(2, chunk(" world", 5));
        b.add(3, status(TaskState.WORKING)); // the model-turn update lies between the chunks and the answer
        b.add(4, closing(", bye", 11));
        b.add(5, status(TaskState.COMPLETED));
        List<Timeline.Entry> entries = b.build(false, 5).entries();
        assertEquals(List.of(2L, 3L, 4L, 5L), entries.stream().map(Timeline.Entry::offset).toList());
        TaskEvent.ArtifactAdded streamed = assertInstanceOf(TaskEvent.ArtifactAdded.class, entries.get(0).event());
        assertTrue(streamed.streamed(), "the chunks joined, as before");
        TaskEvent.ArtifactAdded answer = assertInstanceOf(TaskEvent.ArtifactAdded.class, entries.get(2).event());
        assertEquals(WHOLE, answer.artifact(), "the whole answer, finished (no partial mark, no offset)");
        assertFalse(answer.append(), "a reader takes it whole");
        assertTrue(answer.lastChunk());
    }

    /** The agent's final status since issue 18: the answer message, and the artifact's close riding on it. */
    private static TaskEvent.StatusChanged completedClosing(String rest, long offset) {
        Message answer = Message.agentText("m-answer", "c", "t", "Hello world, bye");
        return new TaskEvent.StatusChanged("t", "c", "w", new TaskStatus(TaskState.COMPLETED, answer, null), null,
                null, null, null, new ArtifactClose(Artifact.answerId("t"), Artifact.ANSWER, "final", rest, offset));
    }

    @Test
    void theFinalStatusFinishesTheStreamedAnswerAsTheClosingChunkDid() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, chunk("Hello", 0));
        t = TaskFold.apply(t, chunk(" world", 5));
        t = TaskFold.apply(t, completedClosing(", bye", 11));
        assertEquals(List.of(WHOLE), t.artifacts(), "one finished artifact, whole text in one part, no marks");
        assertEquals(TaskState.COMPLETED, t.status().state());
        assertEquals("Hello world, bye", t.status().message().text());
        assertEquals(List.of("m-answer"), t.history().stream().map(Message::messageId).toList(),
                "the answer once in the history");
    }

    @Test
    void aFinalStatusWithNothingLeftFinishesTheArtifactAsItIs() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, chunk("Hello world, bye", 0));
        t = TaskFold.apply(t, completedClosing("", 16));
        assertEquals(List.of(WHOLE), t.artifacts());
    }

    @Test
    void aFinalStatusAfterNothingStreamedCarriesTheAnswerWhole() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, completedClosing("Hello world, bye", 0));
        assertEquals(List.of(WHOLE), t.artifacts());
    }

    @Test
    void theCloseSurvivesTheWireAndIsOnlyAllowedOnAFinalStatus() {
        TaskEvent.StatusChanged sent = completedClosing("", 16);
        TaskEvent read = ContractJson.read(ContractJson.write(sent), TaskEvent.class);
        assertEquals(sent, read);
        TaskEvent plain = status(TaskState.WORKING);
        assertTrue(!new String(ContractJson.write(plain), java.nio.charset.StandardCharsets.UTF_8).contains("finishes"),
                "no close, nothing on the wire");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TaskEvent.StatusChanged("t", "c", "w", TaskStatus.of(TaskState.WORKING), null, null, null,
                        null, new ArtifactClose("a", "answer", null, "", 0)));
        assertTrue(e.getMessage().contains("WORKING"), e.getMessage());
    }

    @Test
    void aStreamGetsTheArtifactsLastChunkThenTheFinalStatusAsBefore() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, chunk("Hello", 0));
        TaskEvent.StatusChanged end = completedClosing(", bye", 5);
        t = TaskFold.apply(t, end);
        List<StreamEvent> items = StreamEvent.items(end, t);
        assertEquals(2, items.size(), () -> "items: " + items);
        StreamEvent.ArtifactUpdate last = assertInstanceOf(StreamEvent.ArtifactUpdate.class, items.get(0));
        assertTrue(last.append() && last.lastChunk(), "the closing chunk: " + last);
        assertEquals(List.of(Part.Text.of(", bye")), last.artifact().parts());
        assertEquals(5L, TaskEvent.ArtifactAdded.textOffset(last.artifact()));
        StreamEvent.StatusUpdate done = assertInstanceOf(StreamEvent.StatusUpdate.class, items.get(1));
        assertTrue(done.last());
        assertEquals("Hello world, bye", done.status().message().text());
        assertEquals(1, StreamEvent.items(status(TaskState.WORKING), t).size(), "any other status is one item");
    }

    @Test
    void theTimelineShowsTheAnswerClosedByTheFinalStatusInItsOwnEntry() {
        Timeline.Builder b = new Timeline.Builder("t");
        b.add(1, chunk("Hello", 0));
        b.add(2, chunk(" world", 5));
        b.add(3, completedClosing(", bye", 11));
        List<Timeline.Entry> entries = b.build(false, 3).entries();
        assertEquals(3, entries.size(), () -> "entries: " + entries);
        TaskEvent.ArtifactAdded answer = assertInstanceOf(TaskEvent.ArtifactAdded.class, entries.get(1).event());
        assertEquals(WHOLE, answer.artifact(), "the whole answer, finished (no partial mark, no offset)");
        assertInstanceOf(TaskEvent.StatusChanged.class, entries.get(2).event());
        assertTrue(b.ended());
    }
}
