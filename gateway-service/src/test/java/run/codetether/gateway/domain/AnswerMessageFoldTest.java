package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ArtifactClose;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.dashboard.SummaryFold;
import run.codetether.gateway.domain.dashboard.Timeline;
import run.codetether.gateway.domain.handler.AnswerTexts;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * Issue 18: a completed run's final status is sent with a message without text, naming the answer artifact's text
 * as its message ({@link ArtifactClose#asMessage}); the answer is on the log once (the chunks and the close's rest).
 * Every reader that shows the status puts the text back: the task fold (GetTask, blocking send, SSE, tasks.state),
 * the push deliveries, the dashboard's timeline and task list.
 */
class AnswerMessageFoldTest {
    private static final String ANSWER = "Hello world, bye";
    private static final java.time.Instant AT = java.time.Instant.parse("2026-12-06T08:00:00Z");

    private static TaskEvent.ArtifactAdded chunk(String text, long offset) {
        return TaskEvent.ArtifactAdded.textChunk("t", "c", "w", Artifact.answerId("t"), Artifact.ANSWER, text, offset,
                1);
    }

    private static TaskEvent status(TaskState s) {
        return new TaskEvent.StatusChanged("t", "c", "w", TaskStatus.of(s), Map.of(), null);
    }

    /** The agent's final status: a message without text whose text is the artifact's, closed with this rest. */
    private static TaskEvent.StatusChanged completed(String rest, long offset) {
        Message textless = new Message("m-answer", Role.AGENT, List.of(), "c", "t", null, null, null);
        return new TaskEvent.StatusChanged("t", "c", "w", new TaskStatus(TaskState.COMPLETED, textless, AT), null,
                null, null, null, new ArtifactClose(Artifact.answerId("t"), Artifact.ANSWER, "final", rest, offset,
                        true));
    }

    private static Task streamed(TaskEvent end) {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        t = TaskFold.apply(t, chunk("Hello", 0));
        t = TaskFold.apply(t, chunk(" world", 5));
        return TaskFold.apply(t, end);
    }

    private static void assertAnswered(Task t) {
        assertEquals(TaskState.COMPLETED, t.status().state());
        assertEquals(List.of(Part.Text.of(ANSWER)), t.status().message().parts(), "the answer as the status message");
        assertEquals("m-answer", t.status().message().messageId());
        assertEquals(List.of(ANSWER), t.history().stream().map(Message::text).toList(), "the answer once in history");
        assertEquals(ANSWER, TaskFold.text(t, Artifact.answerId("t")));
    }

    @Test
    void theFoldShowsTheStreamedAnswerAsTheStatusMessage() {
        TaskEvent.StatusChanged end = completed(", bye", 11);
        assertTrue(end.messageInArtifact());
        assertEquals("", end.status().message().text(), "the event itself does not carry the text");
        Task t = streamed(end);
        assertAnswered(t);
    }

    @Test
    void theFoldShowsAnAnswerSentWholeInTheCloseAsTheStatusMessage() {
        Task t = TaskFold.apply(null, status(TaskState.WORKING));
        assertAnswered(TaskFold.apply(t, completed(ANSWER, 0)));
        assertAnswered(TaskFold.apply(null, completed(ANSWER, 0)));
    }

    @Test
    void theFoldedTaskIsTheOneTheAnswerSentTwiceGave() {
        Message whole = Message.agentText("m-answer", "c", "t", ANSWER);
        TaskEvent.StatusChanged before = new TaskEvent.StatusChanged("t", "c", "w", new TaskStatus(
                TaskState.COMPLETED, whole, AT), null, null, null, null,
                new ArtifactClose(Artifact.answerId("t"), Artifact.ANSWER, "final", ", bye", 11));
        Task was = streamed(before);
        Task now = streamed(completed(", bye", 11));
        assertEquals(was, now, "what clients see and tasks.state stores does not change");
        assertEquals(new String(ContractJson.write(was), StandardCharsets.UTF_8),
                new String(ContractJson.write(now), StandardCharsets.UTF_8));
        assertTrue(ContractJson.write(completed(", bye", 11)).length < ContractJson.write(before).length,
                "the event is smaller by the answer");
    }

    @Test
    void aStatusWithoutTheMarkKeepsItsOwnMessage() {
        Message own = Message.agentText("m-own", "c", "t", "as sent");
        TaskEvent.StatusChanged before = new TaskEvent.StatusChanged("t", "c", "w", new TaskStatus(
                TaskState.COMPLETED, own, null), null, null, null, null,
                new ArtifactClose(Artifact.answerId("t"), Artifact.ANSWER, "final", ", bye", 11));
        Task t = streamed(before);
        assertEquals(own, t.status().message(), "events written before the mark read as they did");
        assertEquals(ANSWER, TaskFold.text(t, Artifact.answerId("t")));
    }

    @Test
    void theStreamsFinalItemCarriesTheAnswer() {
        TaskEvent.StatusChanged end = completed(", bye", 11);
        Task t = streamed(end);
        List<StreamEvent> items = StreamEvent.items(end, t);
        StreamEvent.StatusUpdate done = assertInstanceOf(StreamEvent.StatusUpdate.class, items.get(1));
        assertEquals(ANSWER, done.status().message().text());
        assertTrue(done.last());
    }

    @Test
    void theMarkSurvivesTheWireAndTheAnswerIsOnItOnce() {
        TaskEvent.StatusChanged sent = completed(", bye", 11);
        byte[] json = ContractJson.write(sent);
        assertEquals(sent, ContractJson.read(json, TaskEvent.class));
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"asMessage\":true"));
        TaskEvent.StatusChanged whole = completed(ANSWER, 0);
        String text = new String(ContractJson.write(whole), StandardCharsets.UTF_8);
        assertEquals(text.indexOf(ANSWER), text.lastIndexOf(ANSWER), () -> "the answer once: " + text);
        String old = text.replace(",\"asMessage\":true", "");
        assertFalse(old.contains("asMessage"), old);
        assertFalse(((TaskEvent.StatusChanged) ContractJson.read(old.getBytes(StandardCharsets.UTF_8),
                TaskEvent.class)).messageInArtifact(), "a close written before the mark leaves the message as sent");
    }

    @Test
    void aMarkedStatusWhoseMessageHasTextIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskEvent.StatusChanged(
                "t", "c", "w", new TaskStatus(TaskState.COMPLETED, Message.agentText("m", "c", "t", ANSWER), null),
                null, null, null, null, new ArtifactClose("a", "answer", null, ANSWER, 0, true)));
        assertTrue(e.getMessage().contains("without text"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TaskEvent.StatusChanged("t", "c", "w",
                TaskStatus.of(TaskState.COMPLETED), null, null, null, null,
                new ArtifactClose("a", "answer", null, ANSWER, 0, true)), "a marked status has a message");
    }

    @Test
    void aPushReaderPutsTheStreamedTextBackWithoutFolding() {
        AnswerTexts texts = new AnswerTexts(8);
        assertNull(texts.apply(chunk("Hello", 0)));
        assertNull(texts.apply(chunk(" world", 5)));
        assertNull(texts.apply(chunk(" world", 5)), "a chunk delivered twice");
        AnswerTexts.Shown shown = texts.apply(completed(", bye", 11));
        assertTrue(shown.complete());
        assertEquals(List.of(Part.Text.of(ANSWER)), shown.status().message().parts());
        assertEquals(0, texts.size(), "the task's text is dropped at its end");
        assertEquals(ANSWER, new AnswerTexts(1).apply(completed(ANSWER, 0)).status().message().text(),
                "an answer sent whole needs no chunks");
    }

    @Test
    void aPushReaderThatMissedTheFirstChunksSaysSo() {
        AnswerTexts texts = new AnswerTexts(8);
        texts.apply(chunk(" world", 5));
        AnswerTexts.Shown shown = texts.apply(completed(", bye", 11));
        assertFalse(shown.complete());
        assertEquals(" world, bye", shown.status().message().text(), "what it saw, at its place");
        AnswerTexts few = new AnswerTexts(1);
        few.apply(chunk("Hello", 0));
        few.apply(TaskEvent.ArtifactAdded.textChunk("u", "c", "w", Artifact.answerId("u"), Artifact.ANSWER, "x", 0,
                1));
        assertEquals(1, few.size(), "bounded: the least recently streamed task goes");
        assertFalse(few.apply(completed(", bye", 11)).complete());
    }

    @Test
    void aPushReadersTextIsBoundedInCharactersToo() {
        AnswerTexts texts = new AnswerTexts(8, 8);
        texts.apply(TaskEvent.ArtifactAdded.textChunk("u", "c", "w", Artifact.answerId("u"), Artifact.ANSWER,
                "older", 0, 1));
        texts.apply(chunk("Hello", 0));
        assertEquals(1, texts.size(), "past 8 characters the least recently streamed task goes");
        assertEquals(5, texts.chars());
        texts.apply(chunk(" world", 5));
        assertEquals(11, texts.chars(), "the newest task's text is kept whole, even past the bound");
        assertTrue(texts.apply(completed(", bye", 11)).complete());
        assertEquals(0, texts.chars(), "the task's characters are dropped at its end");
    }

    @Test
    void theTimelineShowsTheAnswerAsTheFinalStatusMessage() {
        Timeline.Builder b = new Timeline.Builder("t");
        b.add(1, chunk("Hello", 0));
        b.add(2, chunk(" world", 5));
        b.add(3, completed(", bye", 11));
        List<Timeline.Entry> entries = b.build(false, 3).entries();
        TaskEvent.StatusChanged end = assertInstanceOf(TaskEvent.StatusChanged.class, entries.get(2).event());
        assertEquals(ANSWER, end.status().message().text());
        assertTrue(b.ended());
    }

    @Test
    void theTaskListShowsTheAnswerAsTheLastText() {
        var s = SummaryFold.apply(null, status(TaskState.WORKING), 0, 0);
        s = SummaryFold.apply(s, completed(ANSWER, 0), 0, 1);
        assertEquals(ANSWER, s.lastText());
        var streamed = SummaryFold.apply(null, status(TaskState.WORKING), 0, 0);
        streamed = SummaryFold.apply(streamed, chunk("Hello", 0), 0, 1);
        streamed = SummaryFold.apply(streamed, chunk(" world", 5), 0, 2);
        streamed = SummaryFold.apply(streamed, completed(", bye", 11), 0, 3);
        assertEquals(ANSWER, streamed.lastText());
    }
}
