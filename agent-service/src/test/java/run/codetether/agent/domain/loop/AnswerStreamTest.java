package run.codetether.agent.domain.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.port.Scheduler;

/**
 * When the answer's chunks go out (issue 18), and how the finished answer closes them. The rules after a turn's first
 * chunk are tested without the first chunk's hold; the hold's own tests fire its timer by hand.
 */
class AnswerStreamTest {
    private static final Duration EVERY = Duration.ofMillis(250);
    private static final Duration HOLD = Duration.ofMillis(25);
    private long now = 1_000_000_000L;
    private final ManualTimer timer = new ManualTimer();
    private final List<AnswerStream.Chunk> sent = new ArrayList<>();
    private final AnswerStream stream = new AnswerStream(EVERY, Duration.ZERO, () -> now, timer);
    private final AnswerStream held = new AnswerStream(EVERY, HOLD, () -> now, timer);

    /** Work scheduled by the stream, run when the test says. */
    static final class ManualTimer implements Scheduler {
        final List<Runnable> due = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();
        int cancelled;

        @Override
        public Scheduled after(Duration delay, Runnable work) {
            delays.add(delay);
            due.add(work);
            return () -> cancelled++;
        }

        /** Runs the work scheduled last, as the timer would (also when it was cancelled: a cancel can come late). */
        void fireLast() {
            due.get(due.size() - 1).run();
        }
    }

    /** The chunk {@code delta} sent, or null. */
    private AnswerStream.Chunk offer(AnswerStream s, String delta) {
        int before = sent.size();
        s.offer(delta);
        assertTrue(sent.size() <= before + 1, "at most one chunk per delta");
        return sent.size() == before ? null : sent.get(before);
    }

    private AnswerStream.Chunk offer(String delta) {
        return offer(stream, delta);
    }

    private List<AnswerStream.Chunk> offerAll(int deltas, String delta, Duration apart) {
        List<AnswerStream.Chunk> out = new ArrayList<>();
        for (int i = 0; i < deltas; i++) {
            AnswerStream.Chunk c = offer(delta);
            if (c != null) {
                out.add(c);
            }
            now += apart.toNanos();
        }
        return out;
    }

    @Test
    void aSlowModelStreamsEveryDeltaLive() {
        stream.newTurn(sent::add);
        List<AnswerStream.Chunk> chunks = offerAll(10, "word ", Duration.ofMillis(300));
        assertEquals(10, chunks.size(), "a delta that comes after partialEvery goes out at once");
        for (int i = 0; i < 10; i++) {
            assertEquals(new AnswerStream.Chunk("word ", i * 5L), chunks.get(i));
        }
    }

    @Test
    void aFastModelsDeltasGoOutInChunksOfAboutTwoKilobytes() {
        stream.newTurn(sent::add);
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
        stream.newTurn(sent::add);
        assertEquals(new AnswerStream.Chunk("a", 0), offer("a"), "a turn's first delta goes out at once");
        now += Duration.ofMillis(100).toNanos();
        assertNull(offer("b"), "within partialEvery and small: waits");
        now += Duration.ofMillis(200).toNanos();
        assertEquals(new AnswerStream.Chunk("bc", 1), offer("c"));
    }

    @Test
    void aNewTurnReplacesWhatTheArtifactHoldsAndTheAnswerClosesOnlyWhatItContinues() {
        stream.newTurn(sent::add);
        offer("Let me look at the file.");
        stream.newTurn(sent::add);
        assertEquals("Let me look at the file.".length(), stream.closing("Let me look at the file. Done").offset(),
                "a turn that streamed nothing leaves the artifact as it was: the answer may still continue it");
        AnswerStream.Chunk first = offer("Done");
        assertEquals(new AnswerStream.Chunk("Done", 0), first, "a turn's first chunk replaces the artifact's text");
        assertEquals(new AnswerStream.Closing(": all tests pass", 4), stream.closing("Done: all tests pass"));
        assertNull(stream.closing("Finished"), "an answer that does not continue the streamed text goes whole");
    }

    @Test
    void nothingStreamedMeansTheAnswerGoesWhole() {
        stream.newTurn(sent::add);
        assertNull(stream.closing("The answer"));
        assertNull(offer(""), "an empty delta sends nothing");
        assertNull(stream.closing("The answer"));
    }

    @Test
    void anAnswerFinishedWithinTheHoldSendsNoChunkAndGoesWholeWithTheEnd() {
        held.newTurn(sent::add);
        assertNull(offer(held, "o"), "the turn's first text waits for the hold");
        now += Duration.ofMillis(1).toNanos();
        assertNull(offer(held, "k"));
        assertEquals(List.of(HOLD), timer.delays, "one timer per turn, for the hold from the first text");
        held.end(false);
        assertEquals(1, timer.cancelled, "the end cancels the hold's timer");
        timer.fireLast(); // a timer that fires anyway
        assertEquals(List.of(), sent, "no chunk: the final status carries the answer");
        assertNull(held.closing("ok"), "nothing streamed: the answer goes whole");
    }

    @Test
    void theHoldExpiringSendsTheHeldTextThenTheUsualRulesApply() {
        held.newTurn(sent::add);
        offer(held, "Hel");
        now += Duration.ofMillis(10).toNanos();
        offer(held, "lo");
        assertEquals(List.of(), sent);
        now += Duration.ofMillis(15).toNanos();
        timer.fireLast();
        assertEquals(List.of(new AnswerStream.Chunk("Hello", 0)), sent, "the held text at the hold's end");
        now += Duration.ofMillis(100).toNanos();
        assertNull(offer(held, " wo"), "within partialEvery of the first chunk: waits");
        now += Duration.ofMillis(200).toNanos();
        assertEquals(new AnswerStream.Chunk(" world", 5), offer(held, "rld"));
        assertEquals(new AnswerStream.Closing("!", 11), held.closing("Hello world!"));
    }

    @Test
    void heldTextGoesAtOnceWhenTheHoldHasPassedOrTwoKilobytesWait() {
        held.newTurn(sent::add);
        offer(held, "a");
        now += HOLD.toNanos();
        assertEquals(new AnswerStream.Chunk("ab", 0), offer(held, "b"), "a late timer: the next text sends it");
        held.newTurn(sent::add);
        String big = "x".repeat(AnswerStream.FLUSH_CHARS);
        assertEquals(new AnswerStream.Chunk(big, 0), offer(held, big), "a screenful does not wait for the hold");
    }

    @Test
    void theRunsNextEventSendsHeldTextFirst() {
        held.newTurn(sent::add);
        offer(held, "Let me look at the file.");
        held.flush();
        assertEquals(List.of(new AnswerStream.Chunk("Let me look at the file.", 0)), sent,
                "a tool call's update never overtakes the text before it");
        timer.fireLast();
        assertEquals(1, sent.size(), "the timer sends nothing more");
        held.flush();
        assertEquals(1, sent.size(), "nothing waits: nothing to send");
    }

    @Test
    void textStillHeldAtANewTurnGoesOutBeforeTheTurnStarts() {
        held.newTurn(sent::add);
        offer(held, "Checking.");
        List<AnswerStream.Chunk> second = new ArrayList<>();
        held.newTurn(second::add);
        assertEquals(List.of(new AnswerStream.Chunk("Checking.", 0)), sent, "the earlier turn's text, to its turn");
        timer.fireLast(); // the earlier turn's timer
        assertEquals(List.of(), second, "an earlier turn's timer does not send the new turn's text");
    }

    @Test
    void anEndThatKeepsTheTextSendsItFirstAndNothingAfter() {
        held.newTurn(sent::add);
        offer(held, "Working on it");
        held.end(true);
        assertEquals(List.of(new AnswerStream.Chunk("Working on it", 0)), sent);
        offer(held, " more");
        timer.fireLast();
        held.flush();
        assertEquals(1, sent.size(), "after the end nothing goes out, whoever asks");
    }

    @Test
    void aChunkWhosePublishFailedStaysHeldForTheNextEvent() {
        boolean[] broken = {true};
        held.newTurn(c -> {
            if (broken[0]) {
                throw new IllegalStateException("broker down");
            }
            sent.add(c);
        });
        offer(held, "Hello");
        timer.fireLast(); // the timer's publish fails: logged, the text kept
        assertEquals(List.of(), sent);
        assertNull(held.closing("Hello there"), "not streamed: the answer would go whole");
        broken[0] = false;
        held.flush();
        assertEquals(List.of(new AnswerStream.Chunk("Hello", 0)), sent);
        broken[0] = true;
        held.newTurn(c -> {
            throw new IllegalStateException("broker down");
        });
        offer(held, "x");
        assertThrows(IllegalStateException.class, held::flush, "the run's own thread sees its publish fail");
    }

    /**
     * The timer firing while the run ends: with a real timer on its own thread and holds of a millisecond, no chunk
     * is ever published after the final event, and a chunk that went out is always part of what the end closes.
     */
    @Test
    void aTimerRacingTheEndNeverPublishesAfterIt() throws Exception {
        List<List<String>> logs = new ArrayList<>();
        List<AnswerStream.Closing> closings = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<String> log = new CopyOnWriteArrayList<>();
            AnswerStream s = new AnswerStream(EVERY, Duration.ofNanos(200_000 + (i % 10) * 100_000L), System::nanoTime,
                    SharedScheduler.INSTANCE);
            s.newTurn(c -> log.add("chunk:" + c.text()));
            s.offer("answer");
            Thread.sleep(0, (i % 7) * 150_000);
            s.end(false);
            closings.add(s.closing("answer"));
            log.add("final");
            logs.add(log);
        }
        Thread.sleep(50); // every timer of the loop has fired or been cancelled by now
        for (int i = 0; i < logs.size(); i++) {
            if (logs.get(i).size() == 1) {
                assertEquals(List.of("final"), logs.get(i));
                assertNull(closings.get(i), "nothing streamed: the answer goes whole");
            } else {
                assertEquals(List.of("chunk:answer", "final"), logs.get(i), "run " + i);
                assertEquals(new AnswerStream.Closing("", 6), closings.get(i), "the end closes the chunk sent");
            }
        }
    }
}
