package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ArtifactClose;
import run.codetether.contracts.events.TaskEvent;

/** A sub-agent's result from its answer artifact, whether the answer closed its streamed chunks or came whole. */
class AttemptReportsTest {
    private static TaskEvent.ArtifactAdded chunk(String text, long offset) {
        return TaskEvent.ArtifactAdded.textChunk("sub", "c", "w", Artifact.answerId("sub"), Artifact.ANSWER, text,
                offset, 1);
    }

    @Test
    void theClosingChunkCompletesTheStreamedTextAsTheResult() {
        AttemptReports r = new AttemptReports();
        r.collect(chunk("Thinking", 0)); // an earlier model call's text, replaced by the next call's first chunk
        r.collect(chunk("The API ", 0));
        r.collect(chunk("moved to", 8));
        r.collect(chunk("moved to", 8)); // delivered again: placed at its offset
        r.collect(TaskEvent.ArtifactAdded.closingChunk("sub", "c", "w", Artifact.answerId("sub"), Artifact.ANSWER,
                "final", " v2.", 16));
        assertEquals("The API moved to v2.", r.result(null));
    }

    @Test
    void aFinishedArtifactSentWholeIsTheResultAsBefore() {
        AttemptReports r = new AttemptReports();
        r.collect(chunk("draft", 0));
        r.collect(new TaskEvent.ArtifactAdded("sub", "c", "w", new Artifact(Artifact.answerId("sub"), Artifact.ANSWER,
                null, List.of(Part.Text.of("The answer")), null, null), false, true, null));
        assertEquals("The answer", r.result(null));
    }

    /** The agent's final status since issue 18: the answer artifact's close rides on it. */
    private static TaskEvent.StatusChanged completed(String rest, long offset) {
        return new TaskEvent.StatusChanged("sub", "c", "w", new TaskStatus(TaskState.COMPLETED,
                Message.agentText("m", "c", "sub", "The API moved to v2."), null), null, null, null, null,
                new ArtifactClose(Artifact.answerId("sub"), Artifact.ANSWER, "final", rest, offset));
    }

    @Test
    void theFinalStatusClosingTheStreamedTextMakesTheResult() {
        AttemptReports r = new AttemptReports();
        r.collect(chunk("Thinking", 0));
        r.collect(chunk("The API ", 0));
        r.collect(chunk("moved to", 8));
        r.collect(completed(" v2.", 16));
        assertEquals("The API moved to v2.", r.result(null), "the artifact, not the status message");
    }

    @Test
    void aFinalStatusCarryingTheWholeAnswerMakesTheResult() {
        AttemptReports r = new AttemptReports();
        r.collect(completed("The whole answer", 0));
        assertEquals("The whole answer", r.result(null));
    }
}
