package run.codetether.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.WireStack;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 19's fairness: the worker's last free slot is kept for a tenant with nothing running. Tenant A's tasks hold
 * their slots (their model call does not answer) and A has more waiting than the worker has slots; tenant B's task,
 * sent after all of A's, still runs and completes while every one of A's runs holds its slot, on a platform thread
 * of its own. Without the reserved slot A takes all three and B waits for one of A's runs to end (here: until the
 * test releases them).
 */
class ReservedSlotE2ETest {
    private static final int SLOTS = 3;

    @Test
    void anotherTenantsTaskStartsAtOnceWhileOneTenantHoldsEveryOtherSlot(@TempDir Path dir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        try (WireStack stack = WireStack.start(dir, "reserved", d -> d, SLOTS)) {
            try {
                heldRuns(stack, release, releaseB);
            } finally {
                releaseB.countDown(); // held model calls end before the stack closes
                release.countDown();
            }
        }
    }

    private static void heldRuns(WireStack stack, CountDownLatch release, CountDownLatch releaseB) throws Exception {
        stack.llm.respondWith(r -> {
            try {
                if (r.bodyText().contains("hold me")) {
                    release.await();
                } else if (r.bodyText().contains("hold b")) {
                    releaseB.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.text("done");
        });
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < 6; i++) {
            stack.gateway.send(start("a" + i + "-" + run, "tenant-a", "hold me"));
        }
        // A's runs reach the model first: its waiting commands are in the worker's buffer before B's is sent
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stack.llm.requests().size() < SLOTS - 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(SLOTS - 1, stack.llm.requests().size(), "A runs on every slot but the reserved one");
        String b = "b-" + run;
        stack.gateway.send(start(b, "tenant-b", "hold b"));
        try {
            long bDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (stack.llm.requests().size() < SLOTS && System.nanoTime() < bDeadline) {
                Thread.sleep(10);
            }
            assertEquals(SLOTS, stack.llm.requests().size(),
                    "B reached the model on the reserved slot while A's runs held theirs; A took no third slot");
            // the reserved slot's run has a platform thread of its own (listed among the JVM's threads, which
            // virtual threads are not); the flood's runs stay on virtual threads
            var names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
            assertTrue(names.contains("task-" + b), "B's run on a platform thread: " + names);
            assertTrue(names.stream().noneMatch(n -> n.startsWith("task-a")), "A's runs on virtual threads");
            releaseB.countDown();
            var fin = stack.gateway.awaitFinal(b, Duration.ofSeconds(20));
            assertEquals(TaskState.COMPLETED, fin.status().state(), () -> "B's task: " + fin);
        } finally {
            release.countDown();
        }
        for (int i = 0; i < 6; i++) {
            String id = "a" + i + "-" + run;
            var fin = stack.gateway.awaitFinal(id, Duration.ofSeconds(30));
            assertEquals(TaskState.COMPLETED, fin.status().state(), () -> id + ": " + fin);
        }
        assertTrue(stack.llm.requests().size() >= 7, "every task reached the model");
    }

    private static TaskCommand.StartTask start(String taskId, String tenant, String text) {
        return new TaskCommand.StartTask(taskId, "ctx-" + taskId, tenant, Commands.user(text), "moonshotai", null, null,
                null, null, null, Map.of(), null);
    }
}
