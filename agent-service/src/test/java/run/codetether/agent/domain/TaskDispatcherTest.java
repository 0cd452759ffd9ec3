package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.llm.Reply;

/** Slots per pod, one run per context at a time, unrelated contexts independent, cancel routing. */
class TaskDispatcherTest {

    @Test
    void oneRunPerContextSlotsPerPodAndCancelsReachTheRun(@TempDir Path dir) throws Exception {
        try (LoopHarness h = new LoopHarness(dir)) {
            CountDownLatch release = new CountDownLatch(1);
            h.llm.respondWith(r -> {
                if (r.bodyText().contains("hold") && !r.bodyText().contains("quick")) { // a2 carries a1's history
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Reply.text("done");
            });
            TaskDispatcher d = new TaskDispatcher(h.loop(), 3);
            assertNotNull(d.trySubmit(Commands.start("a1", "ctx-a", "moonshotai", "hold"), () -> {}));
            assertNotNull(d.trySubmit(Commands.start("a2", "ctx-a", "moonshotai", "quick"), () -> {}));
            assertNotNull(d.trySubmit(Commands.start("b1", "ctx-b", "moonshotai", "quick"), () -> {}));
            assertNull(d.trySubmit(Commands.start("c1", "ctx-c", "moonshotai", "quick"), () -> {}), "all 3 slots busy");

            assertEquals(TaskState.COMPLETED, h.events.awaitFinal("b1", Duration.ofSeconds(10)).status().state(),
                    "another context is not held up");
            // a1 may reach the model after b1 completed (the slots start in any order): wait for it, not for time
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.llm.requests().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, h.llm.requests().size(), "a2 waits for a1: only a1 and b1 reached the model");
            assertEquals(0, h.events.of("a2").size());

            d.cancel("a1", "stop it");
            assertEquals(TaskState.CANCELED, h.events.awaitFinal("a1", Duration.ofSeconds(5)).status().state());
            assertEquals(TaskState.COMPLETED, h.events.awaitFinal("a2", Duration.ofSeconds(10)).status().state());
            release.countDown();
            assertNotNull(d.trySubmit(Commands.start("c1", "ctx-c", "moonshotai", "quick"), () -> {}), "slots freed");
            assertEquals(TaskState.COMPLETED, h.events.awaitFinal("c1", Duration.ofSeconds(10)).status().state());
        }
    }
}
