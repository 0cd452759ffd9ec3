package run.codetether.agent.domain.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the answer's chunks go out (issue 18), and how the finished answer closes them. */
class AnswerStreamTest {
    private static final Duration EVERY = Duration.ofMillis(250);
    private long now = 1_000_000_000L;
    private final AnswerStream stream = new AnswerStream(EVERY, () -> now);

    private List<AnswerStream.Chunk> offerAll(int deltas, String delta, Duration apart) {
        List<AnswerStream.Chunk> out = new ArrayList<>();
        for (int i = 0; i < deltas; i++) {
            AnswerStream.Chunk c = stream.offer(delta);
            if (c != null) {
                out.add(c);
            }
            now += apart.toNanos();
        }
        return out;
    }

    @Test
    void aSlowModelStreamsEveryDeltaLive() {
        stream.newTurn();
        List<AnswerStream.Chunk> chunks = offerAll(10, "word ", Duration.ofMillis(300));
        assertEquals(10, chunks.size(), "a delta that comes after partialEvery goes out at once");
        for (int i = 0; i < 10; i++) {
            assertEquals(new AnswerStream.Chunk("word ", i * 5L), chunks.get(i));
        }
    }

    @Test
    void aFastModelsDeltasGoOutInChunksOfAboutTwoKilobytes() {
        stream.newTurn();
        String delta = "x".repeat(99) + " ";
        List<AnswerStream.Chunk> chunks = offerAll(160, delta, Duration.ofMillis(1));
        // the first delta at once, then every 2,100 characters (21 deltas of 100 reach 2,048); the last 1,200
        // characters wait for the finished answer
        assertEquals(8, chunks.size(), () -> "chunks: " + chunks.stream().map(c -> c.text().length()).toList());
        assertEquals(100, chunks.get(0).text().length());
        long offset = 0;
        for (AnswerStream.Chunk c : chunks) {
            assertEquals(offset, c.offset(), "each chunk starts where the one before ended");
            offset += c.text().length();
        }
        for (AnswerStream.Chunk c : chunks.subList(1, chunks.size())) {
            assertEquals(2100, c.text().length());
        }
        AnswerStream.Closing closing = stream.closing(delta.repeat(160));
        assertNotNull(closing);
        assertEquals(offset, closing.offset());
        assertEquals(16_000 - offset, closing.rest().length(), "only the text not streamed yet");
    }

    @Test
    void textWaitingPastPartialEveryGoesWithTheNextDelta() {
        stream.newTurn();
        assertEquals(new AnswerStream.Chunk("a", 0), stream.offer("a"), "a turn's first delta goes out at once");
        now += Duration.ofMillis(100).toNanos();
        assertNull(stream.offer("b"), "within partialEvery and small: waits");
        now += Duration.ofMillis(200).toNanos();
        assertEquals(new AnswerStream.Chunk("bc", 1), stream.offer("c"));
    }

    @Test
    void aNewTurnReplacesWhatTheArtifactHoldsAndTheAnswerClosesOnlyWhatItContinues() {
        stream.newTurn();
        stream.offer("Let me look at the file.");
        stream.newTurn();
        assertEquals("Let me look at the file.".length(), stream.closing("Let me look at the file. Done").offset(),
                "a turn that streamed nothing leaves the artifact as it was: the answer may still continue it");
        AnswerStream.Chunk first = stream.offer("Done");
        assertEquals(new AnswerStream.Chunk("Done", 0), first, "a turn's first chunk replaces the artifact's text");
        assertEquals(new AnswerStream.Closing(": all tests pass", 4), stream.closing("Done: all tests pass"));
        assertNull(stream.closing("Finished"), "an answer that does not continue the streamed text goes whole");
    }

    @Test
    void nothingStreamedMeansTheAnswerGoesWhole() {
        stream.newTurn();
        assertNull(stream.closing("The answer"));
        assertNull(stream.offer(""), "an empty delta sends nothing");
        assertNull(stream.closing("The answer"));
    }
}
