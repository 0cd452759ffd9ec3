package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

/**
 * Issue 18: a completed task is stored ({@code tasks.state}, the local store) with its answer's text once, not as the
 * artifact, the status message and the history's copy of it; reading it back gives the task as folded, byte for
 * byte, and a task stored with the three copies (before) reads as it did.
 */
public class StoredTaskTest {
    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");

    /** A long answer: words, so that no part of it repeats the others by accident. */
    public static String answer(int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append("word").append(i * 7919 % 10007);
        }
        return b.toString();
    }

    /** A task folded as the gateway folds a streamed answer: working, chunks, the marked final status. */
    public static Task completed(String id, String text) {
        Task t = TaskFold.apply(null, new TaskEvent.StatusChanged(id, "c", "w", TaskStatus.of(TaskState.WORKING),
                Map.of(), AT));
        t = TaskFold.apply(t, new TaskEvent.MessageAdded(id, "c", "w", new Message("m-user-" + id, Role.USER,
                List.of(Part.Text.of("the question")), "c", id, null, null, null), AT));
        int half = text.length() / 2;
        t = TaskFold.apply(t, TaskEvent.ArtifactAdded.textChunk(id, "c", "w", Artifact.answerId(id), Artifact.ANSWER,
                text.substring(0, half), 0, 1));
        Message textless = new Message("m-answer-" + id, Role.AGENT, List.of(), "c", id, null, null, null);
        return TaskFold.apply(t, new TaskEvent.StatusChanged(id, "c", "w", new TaskStatus(TaskState.COMPLETED,
                textless, AT), null, null, null, null, new ArtifactClose(Artifact.answerId(id), Artifact.ANSWER,
                "final", text.substring(half), half, true)));
    }

    public static int occurrences(byte[] json, String text) {
        String s = new String(json, StandardCharsets.UTF_8);
        int n = 0;
        for (int at = s.indexOf(text); at >= 0; at = s.indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aCompletedAnswerIsStoredOnceAndReadBackAsFolded() {
        String text = answer(1_000);
        Task folded = completed("t", text);
        assertEquals(3, occurrences(ContractJson.write(folded), text), "the folded task shows it three times");
        byte[] stored = StoredTask.encode(folded);
        assertEquals(1, occurrences(stored, text), "stored once");
        int saved = ContractJson.write(folded).length - stored.length;
        assertTrue(saved > 2 * text.length() - 200, "two copies less, but for the marker: " + saved);
        Task read = StoredTask.decode(stored);
        assertEquals(folded, read);
        assertArrayEquals(ContractJson.write(folded), ContractJson.write(read), "what clients are shown is the same");
        assertFalse(read.status().message().metadata().containsKey(StoredTask.TEXT_OF), "the marker never shows");
        String artifactText = ((Part.Text) read.artifacts().get(0).parts().get(0)).text();
        assertSame(artifactText, ((Part.Text) read.status().message().parts().get(0)).text(), "one string");
        assertSame(read.status().message(), read.history().get(read.history().size() - 1), "one message");
    }

    @Test
    void aTaskStoredWithTheThreeCopiesReadsAsFoldedWithOneString() {
        Task folded = completed("t", answer(300));
        Task read = StoredTask.decode(ContractJson.write(folded)); // what gateways stored before
        assertEquals(folded, read);
        assertArrayEquals(ContractJson.write(folded), ContractJson.write(read));
        assertSame(((Part.Text) read.artifacts().get(0).parts().get(0)).text(),
                ((Part.Text) read.status().message().parts().get(0)).text());
        assertSame(read.status().message(), read.history().get(read.history().size() - 1));
    }

    @Test
    void theFoldSharesTheAnswerStringBetweenArtifactAndStatus() {
        Task folded = completed("t", answer(300));
        assertSame(((Part.Text) folded.artifacts().get(0).parts().get(0)).text(),
                ((Part.Text) folded.status().message().parts().get(0)).text());
    }

    @Test
    void whatIsNotAnArtifactsWholeTextIsStoredAsItIs() {
        Task shortAnswer = completed("s", "yes");
        assertArrayEquals(ContractJson.write(shortAnswer), StoredTask.encode(shortAnswer), "too short to pay");
        String text = answer(300);
        Task folded = completed("t", text);
        Message own = new Message("m-own", Role.AGENT, List.of(Part.Text.of(text)), "c", "t", null, null,
                Map.of("k", "v"));
        Task withMetadata = folded.withStatus(new TaskStatus(TaskState.COMPLETED, own, AT));
        assertArrayEquals(ContractJson.write(withMetadata), StoredTask.encode(withMetadata), "its own metadata");
        Message other = Message.agentText("m-q", "c", "t", answer(301));
        Task question = folded.withStatus(new TaskStatus(TaskState.INPUT_REQUIRED, other, AT));
        assertArrayEquals(ContractJson.write(question), StoredTask.encode(question), "not the artifact's text");
        Task noMessage = folded.withStatus(TaskStatus.of(TaskState.WORKING));
        assertSame(noMessage, StoredTask.compact(noMessage));
    }

    @Test
    void aUserMessageEqualToTheAnswerKeepsItsText() {
        String text = answer(300);
        Task folded = completed("t", text);
        Message user = new Message("m-user-2", Role.USER, List.of(Part.Text.of(text)), "c", "t", null, null, null);
        java.util.List<Message> history = new java.util.ArrayList<>(folded.history());
        history.add(0, user);
        Task t = folded.withHistory(history);
        byte[] stored = StoredTask.encode(t);
        assertEquals(2, occurrences(stored, text), "the artifact and the user's own message");
        assertEquals(t, StoredTask.decode(stored));
    }

    @Test
    void aRecordNamingAnArtifactItDoesNotHoldFailsLoudly() {
        Task folded = completed("t", answer(300));
        byte[] stored = StoredTask.encode(folded);
        Task damaged = ContractJson.read(stored, Task.class).withArtifacts(List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StoredTask.read(damaged));
        assertTrue(e.getMessage().contains("answer-t"), e.getMessage());
    }
}
