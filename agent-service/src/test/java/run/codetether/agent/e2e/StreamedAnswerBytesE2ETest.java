package run.codetether.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.WireStack;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 18: a streamed answer costs O(n) bytes on {@code tasks.events}. A 4,000-token answer (16,000 characters)
 * streams from the scripted provider through the real agent worker and the broker in 160 chunks of 100 characters,
 * i.e. the chunks {@code partialEvery} (250 ms) coalesces at 100 tokens/s; the test counts the key and value bytes of
 * every record the task left on the topic, and the same for a 1,000-token answer: the bytes grow linearly with the
 * answer. "Before" is what the former encoding (every partial update a status carrying the whole text so far) writes
 * for the same chunks, computed with the same record codec.
 */
class StreamedAnswerBytesE2ETest {
    private static final Logger LOG = Logger.getLogger(StreamedAnswerBytesE2ETest.class);
    static WireStack stack;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // every provider delta is one chunk here: the test's deltas are already the size partialEvery coalesces to
        stack = WireStack.start(dir, "bytes", d -> new AgentSettings(d.workerId(), d.maxSteps(), d.wallClock(),
                d.toolTimeout(), d.compactAt(), d.keepRecent(), Duration.ZERO, d.skillsDir()), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    record Cost(int answerBytes, long after, long before, int chunks) {}

    @Test
    void aStreamedAnswerCostsLinearBytesOnTheEventsTopic() throws Exception {
        Cost small = stream(40);
        Cost large = stream(160);
        LOG.infof("1,000-token answer (%d B): %d B on tasks.events in %d chunks (whole-text partials: %d B)",
                small.answerBytes(), small.after(), small.chunks(), small.before());
        LOG.infof("4,000-token answer (%d B): %d B on tasks.events in %d chunks (whole-text partials: %d B); "
                + "%.2fx the answer (was %.2fx)", large.answerBytes(), large.after(), large.chunks(), large.before(),
                (double) large.after() / large.answerBytes(), (double) large.before() / large.answerBytes());
        assertEquals(160, large.chunks(), "one chunk per provider delta");
        double growth = (double) large.after() / small.after();
        assertTrue(growth < 4.5, () -> "4x the answer costs " + growth + "x the bytes (linear: ~4, quadratic: ~16)");
        // the answer whole twice at the end (artifact, final status; no separate history message since issue 18's
        // second cut: 9.2x -> 8.1x) plus one record envelope (ids, time, flags: about 450 B) per 100-character
        // chunk, which is most of what is left: 90.7x before the chunks
        assertTrue(large.after() < 9L * large.answerBytes(), () -> "bytes per answer byte: "
                + (double) large.after() / large.answerBytes());
        assertTrue(large.before() > 5 * large.after(), () -> "whole-text partials would cost " + large.before()
                + " B, deltas " + large.after() + " B");
    }

    /** Streams an answer of {@code pieces} deltas of 100 characters; its cost on the topic, now and before. */
    private Cost stream(int pieces) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            text.append(String.valueOf((char) ('a' + i % 26)).repeat(99)).append(' ');
        }
        String answer = text.toString().strip();
        String ctx = "ctx-bytes-" + UUID.randomUUID();
        String taskId = "task-bytes-" + UUID.randomUUID();
        stack.llm.enqueue(Reply.text(answer));
        stack.gateway.send(Commands.start(taskId, ctx, "moonshotai", "Write a long answer"));
        TaskEvent.StatusChanged last = stack.gateway.awaitFinal(taskId, Duration.ofSeconds(60));
        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        assertEquals(answer, last.status().message().text());
        List<TaskEvent> events = stack.gateway.of(taskId);
        List<TaskEvent.ArtifactAdded> chunks = events.stream()
                .filter(e -> e instanceof TaskEvent.ArtifactAdded a && a.streamed())
                .map(e -> (TaskEvent.ArtifactAdded) e).toList();
        StringBuilder joined = new StringBuilder();
        long chunkBytes = 0;
        long wholeTextBytes = 0;
        for (TaskEvent.ArtifactAdded c : chunks) {
            assertEquals(joined.length(), c.textOffset(), "each chunk starts where the text so far ends");
            joined.append(((Part.Text) c.artifact().parts().get(0)).text());
            chunkBytes += recordBytes(c);
            wholeTextBytes += recordBytes(new TaskEvent.StatusChanged(taskId, ctx, c.workerId(),
                    new TaskStatus(TaskState.WORKING, Message.agentText(UUID.randomUUID().toString(), ctx, taskId,
                            joined.toString()), null), Progress.step(1).asPartial(false), java.util.Map.of(), c.at()));
        }
        assertEquals(answer, joined.toString(), "the chunks add up to the answer");
        Artifact finished = events.stream().filter(e -> e instanceof TaskEvent.ArtifactAdded a && !a.streamed())
                .map(e -> ((TaskEvent.ArtifactAdded) e).artifact()).findFirst().orElseThrow();
        assertEquals(Artifact.answerId(taskId), finished.artifactId(), "the finished answer replaces the chunks");
        long after = stack.gateway.bytesOf(taskId);
        long before = after - chunkBytes + wholeTextBytes;
        return new Cost(answer.getBytes(StandardCharsets.UTF_8).length, after, before, chunks.size());
    }

    private static long recordBytes(TaskEvent e) {
        return e.taskId().getBytes(StandardCharsets.UTF_8).length + ContractJson.write(e).length;
    }
}
