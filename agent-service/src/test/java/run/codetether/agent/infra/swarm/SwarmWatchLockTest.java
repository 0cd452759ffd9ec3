package run.codetether.agent.infra.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.agent.domain.swarm.SwarmLauncher;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * Issue 20 point 5 against the real broker: a watch held inside its end-offset read of {@code tasks.events} (the
 * broker call of a registration; the test holds it there as a slow broker would) holds up neither the reader, which
 * still delivers another swarm's end, nor another watch. With the old {@code watch}, which made that call under the
 * launcher's lock, the reader blocked on the lock in its delivery and the second watch waited for the first.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SwarmWatchLockTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static SwarmCommand.StartSwarm start(String swarmId) {
        return SwarmServiceDouble.startCommand(swarmId, "ctx-lock");
    }

    @Test
    void aWatchWaitingOnTheBrokerHoldsUpNeitherTheReaderNorAnotherWatch() throws Exception {
        // own threads: the common pool may have a single thread on a small machine, held by the slow watch
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                SwarmServiceDouble swarm = new SwarmServiceDouble(SharedKafkaBroker.bootstrapServers());
                KafkaSwarmLauncher launcher = new KafkaSwarmLauncher(SharedKafkaBroker.bootstrapServers(), 100)) {
            String first = "lock-first-" + UUID.randomUUID();
            SwarmLauncher.Watch firstWatch = launcher.watch(first, first); // the reader runs from here on

            CountDownLatch inBrokerCall = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            launcher.beforeEndOffsets = () -> {
                inBrokerCall.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            String slow = "lock-slow-" + UUID.randomUUID();
            CompletableFuture<SwarmLauncher.Watch> slowWatch = CompletableFuture.supplyAsync(
                    () -> launcher.watch(slow, slow), threads);
            assertTrue(inBrokerCall.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the slow watch reached its broker call");
            launcher.beforeEndOffsets = () -> {};
            try {
                // the reader hands the first swarm's end on while the slow watch is inside its broker call
                swarm.finish(start(first), SwarmPhase.COMPLETED, "done " + first, null);
                var end = assertInstanceOf(SwarmLauncher.Update.Finished.class, firstWatch.next(WAIT),
                        "the reader delivers while a watch waits on the broker");
                assertEquals("done " + first, end.answer());

                // another watch registers meanwhile, and hears its own swarm's end
                String other = "lock-other-" + UUID.randomUUID();
                SwarmLauncher.Watch otherWatch = CompletableFuture.supplyAsync(() -> launcher.watch(other, other), threads)
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                swarm.finish(start(other), SwarmPhase.FAILED, null, "boom");
                var otherEnd = assertInstanceOf(SwarmLauncher.Update.Finished.class, otherWatch.next(WAIT));
                assertEquals("boom", otherEnd.error());
                otherWatch.close();
                assertFalse(slowWatch.isDone(), "the slow watch is still inside its broker call");
            } finally {
                release.countDown();
            }
            try (SwarmLauncher.Watch w = slowWatch.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                swarm.finish(start(slow), SwarmPhase.COMPLETED, "done " + slow, null);
                var slowEnd = assertInstanceOf(SwarmLauncher.Update.Finished.class, w.next(WAIT),
                        "the slow watch, registered once its call returned, hears its swarm");
                assertEquals("done " + slow, slowEnd.answer());
            }
            firstWatch.close();
        }
    }
}
