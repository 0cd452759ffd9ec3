package run.codetether.agent.infra.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.agent.domain.swarm.SwarmLauncher;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * Issue 18: the agent's swarm watcher reads {@code tasks.events} only while a swarm is watched. Against the real
 * broker: after its first swarm the reader pauses, the 500 other tasks' events written meanwhile are not fetched,
 * and the next watched swarm's progress still arrives (the watch is registered at the topic's end before the start).
 */
@ExtendWith(KafkaBrokerExtension.class)
class SwarmWatchIdleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static SwarmCommand.StartSwarm start(String swarmId) {
        return SwarmServiceDouble.startCommand(swarmId, "ctx-idle");
    }

    @Test
    void anIdleWatcherReadsNoOtherTasksEventsAndStillHearsItsNextSwarm() throws Exception {
        try (SwarmServiceDouble swarm = new SwarmServiceDouble(SharedKafkaBroker.bootstrapServers());
                KafkaSwarmLauncher launcher = new KafkaSwarmLauncher(SharedKafkaBroker.bootstrapServers(), 100)) {
            watchOne(launcher, swarm, "idle-first-" + UUID.randomUUID());
            awaitTrue(launcher::taskEventsPaused, "the task-event reader pauses once no swarm is watched");
            long before = launcher.taskEventsRead();
            int others = 500;
            swarm.otherTasks(others);
            Thread.sleep(500); // several polls of a reader that would read them
            assertEquals(before, launcher.taskEventsRead(), "no other task's event is fetched while idle");

            watchOne(launcher, swarm, "idle-second-" + UUID.randomUUID());
            awaitTrue(launcher::taskEventsPaused, "the reader pauses again once the second swarm ended");
            long read = launcher.taskEventsRead() - before;
            assertTrue(read < others, "the watcher read " + read + " task events; the " + others
                    + " written while it watched nothing were skipped, only the second swarm's own are expected");
        }
    }

    /** Watches a swarm, as the swarm tool does (watch, then start): its progress and its end arrive. */
    private static void watchOne(KafkaSwarmLauncher launcher, SwarmServiceDouble swarm, String swarmId)
            throws Exception {
        SwarmCommand.StartSwarm start = start(swarmId);
        try (SwarmLauncher.Watch watch = launcher.watch(swarmId, swarmId)) {
            launcher.start(start);
            swarm.await(swarmId, 1);
            swarm.progress(start, "planning " + swarmId);
            var progress = assertInstanceOf(SwarmLauncher.Update.Progress.class, watch.next(WAIT),
                    "the watched swarm's progress arrives");
            assertEquals("planning " + swarmId, progress.text());
            swarm.finish(start, SwarmPhase.COMPLETED, "done " + swarmId, null);
            var end = assertInstanceOf(SwarmLauncher.Update.Finished.class, watch.next(WAIT));
            assertEquals("done " + swarmId, end.answer());
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(10);
        }
    }
}
