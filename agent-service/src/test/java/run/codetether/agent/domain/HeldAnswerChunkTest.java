package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.Usage;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.provider.ModelInfo;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;

/**
 * Issue 18: a model turn's first answer text is held for {@code first-chunk-hold} before it goes out as a chunk of
 * the answer artifact. A short answer finished within the hold leaves no chunk on {@code tasks.events} (the final
 * status carries it); a slow model's text still streams, a hold later; held text goes out before a tool call's
 * updates and before a cancel's end, and nothing follows the final event.
 */
class HeldAnswerChunkTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    /** Events with the time they were published. */
    static final class TimedEvents implements EventPublisher {
        record Timed(long nanos, TaskEvent event) {}

        final List<Timed> all = new CopyOnWriteArrayList<>();

        @Override
        public void publish(TaskEvent event) {
            all.add(new Timed(System.nanoTime(), event));
        }

        List<TaskEvent> events() {
            return all.stream().map(Timed::event).toList();
        }

        List<String> shape() {
            return events().stream().map(HeldAnswerChunkTest::shape).toList();
        }
    }

    /** A model scripted per turn: each turn streams through {@code partial} and answers. */
    @FunctionalInterface
    interface Turn {
        ModelReply run(Consumer<String> partial) throws InterruptedException;
    }

    private static ProviderResolver scripted(Turn... turns) {
        int[] next = {0};
        ChatProvider chat = (ModelRequest r, Consumer<String> partial) -> turns[next[0]++].run(partial);
        return (p, m) -> new ProviderResolver.Resolved("scripted", "m", new ModelInfo("scripted", "m", 1_000_000, 0,
                0), chat);
    }

    private AgentLoop loop(Duration hold, ProviderResolver model, EventPublisher events) {
        return LoopHarness.loop(h.settings().withFirstChunkHold(hold), model, h.toolClient, events, h.sessions);
    }

    private static String shape(TaskEvent e) {
        if (e instanceof TaskEvent.ArtifactAdded a) {
            return "chunk:" + a.artifact().parts().stream().map(p -> p instanceof Part.Text t ? t.text() : "")
                    .reduce("", String::concat) + "@" + a.textOffset();
        }
        TaskEvent.StatusChanged s = (TaskEvent.StatusChanged) e;
        String tool = s.progress() == null || s.progress().tool() == null ? "" : ":" + s.progress().tool();
        return s.status().state().name() + tool;
    }

    /**
     * A hold no test run outlasts: what it shows does not depend on how fast a loaded machine gets from the model's
     * text to the next event (a timer firing first would send the chunk, as it should).
     */
    private static final Duration LONG_HOLD = Duration.ofSeconds(20);

    private static ModelReply answer(String text) {
        return new ModelReply(text, List.of(), new Usage(10, 2));
    }

    @Test
    void aShortAnswerWritesWorkingAndTheFinalStatusOnly() throws Exception {
        TimedEvents held = new TimedEvents();
        h.run(loop(LONG_HOLD, scripted(p -> {
            p.accept("ok");
            return answer("ok");
        }), held), Commands.start("t1", "c1", null, "Say ok"));
        assertEquals(List.of("WORKING", "COMPLETED"), held.shape(), "two agent records, not three");
        TaskEvent.StatusChanged end = (TaskEvent.StatusChanged) held.events().get(1);
        assertEquals("ok", end.finishes().rest(), "the final status carries the answer whole");
        assertEquals(0, end.finishes().offset());

        TimedEvents atOnce = new TimedEvents();
        h.run(loop(Duration.ZERO, scripted(p -> {
            p.accept("ok");
            return answer("ok");
        }), atOnce), Commands.start("t2", "c2", null, "Say ok"));
        assertEquals(List.of("WORKING", "chunk:ok@0", "COMPLETED"), atOnce.shape(), "a hold of 0 sends it at once");
    }

    @Test
    void aSlowModelsTextStreamsAHoldAfterItsFirstDeltaNotAfterTheAnswer() throws Exception {
        TimedEvents events = new TimedEvents();
        long[] firstDelta = new long[1];
        long[] secondDelta = new long[1];
        h.run(loop(AgentSettings.FIRST_CHUNK_HOLD, scripted(p -> {
            firstDelta[0] = System.nanoTime();
            p.accept("Hello");
            Thread.sleep(800);
            secondDelta[0] = System.nanoTime();
            p.accept(" world");
            return answer("Hello world");
        }), events), Commands.start("t1", "c1", null, "Greet slowly"));
        assertEquals(List.of("WORKING", "chunk:Hello@0", "chunk: world@5", "COMPLETED"), events.shape());
        long chunkAt = events.all.get(1).nanos();
        long afterFirst = chunkAt - firstDelta[0];
        assertTrue(afterFirst >= AgentSettings.FIRST_CHUNK_HOLD.toNanos() && chunkAt < secondDelta[0],
                () -> "the first chunk went out " + afterFirst / 1_000_000 + " ms after the first delta, the model's "
                        + "next text " + (secondDelta[0] - firstDelta[0]) / 1_000_000 + " ms after it");
        TaskEvent.StatusChanged end = (TaskEvent.StatusChanged) events.events().get(3);
        assertEquals("", end.finishes().rest(), "the final status closes what streamed");
        assertEquals(11, end.finishes().offset());
    }

    @Test
    void aToolCallTurnsHeldTextGoesOutBeforeTheCallsUpdates() throws Exception {
        TimedEvents events = new TimedEvents();
        h.run(loop(LONG_HOLD, scripted(p -> {
            p.accept("Let me ");
            p.accept("list the files.");
            return new ModelReply("Let me list the files.", List.of(new ToolCall("call-1", "list_dir",
                    "{\"path\":\".\"}")), new Usage(10, 2));
        }, p -> {
            p.accept("Done");
            return answer("Done");
        }), events), Commands.start("t1", "c1", null, "List"));
        List<String> shape = events.shape();
        assertEquals("WORKING", shape.get(0));
        assertEquals("chunk:Let me list the files.@0", shape.get(1),
                "the turn's text, whole, before the call's first update: " + shape);
        assertTrue(shape.subList(2, shape.size() - 1).stream().allMatch(s -> s.equals("WORKING:list_dir")),
                () -> "then the call's updates: " + shape);
        assertEquals("COMPLETED", shape.get(shape.size() - 1));
        TaskEvent.StatusChanged end = (TaskEvent.StatusChanged) events.events().get(shape.size() - 1);
        assertEquals("Done", end.finishes().rest(), "the answer replaces the earlier turn's text, whole");
        assertEquals(0, end.finishes().offset());
    }

    @Test
    void aCancelSendsTheHeldTextBeforeItsEndAndNothingAfter() throws Exception {
        TimedEvents events = new TimedEvents();
        CountDownLatch wrote = new CountDownLatch(1);
        AgentLoop loop = loop(LONG_HOLD, scripted(p -> {
            p.accept("Thinking");
            wrote.countDown();
            Thread.sleep(30_000);
            return answer("never");
        }), events);
        TaskRun run = new TaskRun(Commands.start("t1", "c1", null, "Think"));
        Thread t = Thread.ofVirtual().start(() -> loop.run(run));
        assertTrue(wrote.await(10, TimeUnit.SECONDS));
        run.cancel("stop");
        t.join(10_000);
        assertEquals(List.of("WORKING", "chunk:Thinking@0", "CANCELED"), events.shape(),
                "the text the model wrote goes out before the end, not lost with the hold");
        assertEquals(TaskState.CANCELED, ((TaskEvent.StatusChanged) events.events().get(2)).status().state());
    }

    @Test
    void theHoldIsNeverNegative() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> h.settings().withFirstChunkHold(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("first-chunk-hold"), e.getMessage());
    }
}
