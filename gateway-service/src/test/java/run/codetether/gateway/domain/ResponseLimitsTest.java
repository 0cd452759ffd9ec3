package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;

/** What one task in a response may carry: history and artifacts capped, parts cut with markers, never silently. */
class ResponseLimitsTest {
    private static final ResponseLimits LIMITS = new ResponseLimits(5, 3, 100_000);

    private static Message message(int i, String text) {
        return new Message("m" + i, i % 2 == 0 ? Role.USER : Role.AGENT, List.of(Part.Text.of(text)), "c", "t", null,
                null, null);
    }

    private static Artifact artifact(int i, Part... parts) {
        return new Artifact("a" + i, "out" + i, null, List.of(parts), null, null);
    }

    private static Task task(List<Message> history, List<Artifact> artifacts) {
        return new Task("t", "c", new TaskStatus(TaskState.COMPLETED, null, Instant.now()), artifacts, history,
                Map.of(), new Task.Submission("alice", null, null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> truncated(Task t) {
        return (Map<String, Object>) t.metadata().get(MetadataKeys.TRUNCATED);
    }

    @Test
    void aTaskWithinTheLimitsIsShownAsItIs() {
        Task t = task(List.of(message(0, "hi"), message(1, "hello")), List.of(artifact(0, Part.Text.of("x"))));
        Task shown = LIMITS.shown(t, null);
        assertEquals(t.history(), shown.history());
        assertEquals(t.artifacts(), shown.artifacts());
        assertFalse(shown.metadata().containsKey(MetadataKeys.TRUNCATED));
    }

    @Test
    void historyAndArtifactsAreCappedToTheNewestAndTheRestIsCounted() {
        List<Message> history = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            history.add(message(i, "turn " + i));
        }
        List<Artifact> artifacts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            artifacts.add(artifact(i, Part.Text.of("out " + i)));
        }
        Task shown = LIMITS.shown(task(history, artifacts), null);
        assertEquals(List.of("m7", "m8", "m9", "m10", "m11"), shown.history().stream().map(Message::messageId)
                .toList(), "the newest messages, in order");
        assertEquals(List.of("a4", "a5", "a6"), shown.artifacts().stream().map(Artifact::artifactId).toList());
        assertEquals(7, truncated(shown).get(MetadataKeys.HISTORY_OMITTED));
        assertEquals(4, truncated(shown).get(MetadataKeys.ARTIFACTS_OMITTED));
        assertEquals(0, truncated(shown).get(MetadataKeys.PARTS_CUT));

        Task two = LIMITS.shown(task(history, List.of()), 2);
        assertEquals(List.of("m10", "m11"), two.history().stream().map(Message::messageId).toList());
        assertFalse(two.metadata().containsKey(MetadataKeys.TRUNCATED),
                "what the client asked to leave out (historyLength) is not marked");
        Task many = LIMITS.shown(task(history, List.of()), 50);
        assertEquals(5, many.history().size(), "a larger historyLength is capped");
        assertEquals(7, truncated(many).get(MetadataKeys.HISTORY_OMITTED));
        assertEquals(0, LIMITS.shown(task(history, List.of()), 0).history().size());
    }

    @Test
    void aTaskOverTheSizeCapKeepsSmallPartsWholeAndCutsTheLargeOnesWithAMarker() {
        String big = "b".repeat(300_000);
        String bigger = "B".repeat(500_000);
        Task t = task(List.of(message(0, "please summarise"), message(1, big)),
                List.of(artifact(0, Part.Text.of("small answer"), Part.Text.of(bigger)),
                        artifact(1, new Part.File("dump.bin", "application/octet-stream", "A".repeat(200_000), null,
                                null))));
        long before = TaskSize.of(t);
        Task shown = LIMITS.shown(t, null);
        assertTrue(before > 900_000);
        assertTrue(TaskSize.of(shown) <= LIMITS.maxTaskBytes(), "estimated " + TaskSize.of(shown));
        int encoded = ContractJson.write(shown).length;
        assertTrue(encoded <= LIMITS.maxTaskBytes(), "encoded " + encoded + " bytes");
        assertEquals("please summarise", ((Part.Text) shown.history().get(0).parts().get(0)).text());
        assertEquals("small answer", ((Part.Text) shown.artifacts().get(0).parts().get(0)).text());
        Part.Text cut = (Part.Text) shown.history().get(1).parts().get(0);
        assertTrue(cut.text().startsWith("bbbb"), "a cut text keeps its head");
        assertTrue(cut.text().contains("cut by the gateway"), cut.text().substring(cut.text().length() - 200));
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) cut.metadata().get(MetadataKeys.TRUNCATED);
        assertEquals(300_000L, info.get(MetadataKeys.ORIGINAL_CHARS));
        Part.Text file = assertInstanceOf(Part.Text.class, shown.artifacts().get(1).parts().get(0),
                "a file too large for the common size becomes a note that says what it was");
        assertTrue(file.text().contains("'dump.bin'"), file.text());
        assertEquals(3, truncated(shown).get(MetadataKeys.PARTS_CUT));
        assertEquals(100_000L, truncated(shown).get(MetadataKeys.MAX_TASK_BYTES));
        // water filling: the two large texts are cut to the same size
        Part.Text other = (Part.Text) shown.artifacts().get(0).parts().get(1);
        assertEquals(cut.text().indexOf('\n'), other.text().indexOf('\n'));
    }

    @Test
    void manySmallMessagesOverTheCapLoseTheOldestFirst() {
        List<Message> history = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            history.add(message(i, "m".repeat(40_000)));
        }
        ResponseLimits tight = new ResponseLimits(100, 100, 2_000);
        Task shown = tight.shown(task(history, List.of()), null);
        assertTrue(TaskSize.of(shown) <= 2_000, "estimated " + TaskSize.of(shown));
        assertFalse(shown.history().isEmpty());
        assertEquals("m4", shown.history().get(shown.history().size() - 1).messageId(), "the newest stays");
        assertEquals(5 - shown.history().size(), truncated(shown).get(MetadataKeys.HISTORY_OMITTED));
    }

    @Test
    void aStreamItemPartIsCutOnlyWhenLarge() {
        Part small = Part.Text.of("fine");
        assertSame(small, LIMITS.capped(small));
        Part.Text cut = (Part.Text) LIMITS.capped(Part.Text.of("z".repeat(200_000)));
        assertTrue(cut.text().length() < 100_000);
        assertTrue(cut.text().endsWith("response may be]"));
    }
}
