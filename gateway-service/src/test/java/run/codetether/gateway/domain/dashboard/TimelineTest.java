package run.codetether.gateway.domain.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

/** The dashboard's read-back timeline keeps a streamed answer as one entry per model call, its text joined. */
class TimelineTest {
    private static TaskEvent.ArtifactAdded chunk(String text, long offset) {
        return TaskEvent.ArtifactAdded.textChunk("t", "c", "w", Artifact.answerId("t"), Artifact.ANSWER, text, offset,
                1);
    }

    private static String text(TaskEvent e) {
        return ((Part.Text) ((TaskEvent.ArtifactAdded) e).artifact().parts().get(0)).text();
    }

    @Test
    void chunksOfOneStreamedAnswerJoinIntoOneEntryAndANewModelCallStartsAnother() {
        Timeline.Builder b = new Timeline.Builder("t");
        b.add(1, chunk("Hel", 0));
        b.add(2, chunk("lo wor", 3));
        b.add(3, chunk("lo wor", 3)); // delivered twice: not repeated
        b.add(4, chunk("ld", 9));
        b.add(5, new TaskEvent.StatusChanged("t", "c", "w", TaskStatus.of(TaskState.WORKING),
                Progress.step(1).withModel("p", "m"), Map.of(), null));
        b.add(6, chunk("Next", 0));
        List<Timeline.Entry> entries = b.build(false, 6).entries();
        assertEquals(List.of(4L, 5L, 6L), entries.stream().map(Timeline.Entry::offset).toList());
        TaskEvent.ArtifactAdded first = assertInstanceOf(TaskEvent.ArtifactAdded.class, entries.get(0).event());
        assertEquals("Hello world", text(first));
        assertFalse(first.append(), "the joined entry starts the answer: a reader takes it whole");
        assertEquals(0, first.textOffset());
        assertEquals("Next", text(entries.get(2).event()));
    }
}
