package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmState;

/** The coordinator's send queue is bounded: past the bound the thread that feeds it waits; nothing is lost. */
class SendQueueTest {
    final Object coordinatorLock = new Object();
    /** Opens the send of write w0 (a producer waiting for a stalled broker until then). */
    final CountDownLatch brokerBack = new CountDownLatch(1);
    final CountDownLatch firstSendWaits = new CountDownLatch(1);
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final SwarmOutbox broker = new SwarmOutbox() {
        @Override
        public void cancel(TaskControl.CancelTask cancel) {
            if (cancel.taskId().equals("w0")) {
                firstSendWaits.countDown();
                SwarmCoordinatorLockingTest.await(brokerBack);
            }
            sent.add(cancel.taskId());
        }

        @Override
        public void dispatch(TaskCommand.StartTask subtask) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void report(TaskEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(SwarmState state) {
            throw new UnsupportedOperationException();
        }
    };
    final SendQueue queue = new SendQueue(broker, coordinatorLock, 4);

    @AfterEach
    void openBroker() {
        brokerBack.countDown();
    }

    /** One input: its write is queued under the coordinator's lock and sent after it, as the coordinator does. */
    void input(int i) {
        synchronized (coordinatorLock) {
            queue.cancel(new TaskControl.CancelTask("w" + i, "ctx", "test", Instant.now()));
        }
        queue.sendQueued();
    }

    /** Starts the sender of w0, which waits for the broker. */
    Thread stallTheSender() throws InterruptedException {
        Thread sender = Thread.ofPlatform().start(() -> input(0));
        assertTrue(firstSendWaits.await(5, TimeUnit.SECONDS), "w0 is being sent");
        return sender;
    }

    @Test
    void pastTheBoundTheFeedingThreadWaitsForTheBrokerAndEveryWriteGoesOutInOrder() throws Exception {
        Thread sender = stallTheSender();
        AtomicInteger taken = new AtomicInteger();
        Thread consumer = Thread.ofPlatform().start(() -> {
            for (int i = 1; i <= 20; i++) {
                input(i);
                taken.set(i);
            }
        });
        // w1-w4 are queued and the thread goes on; w5 passes the bound of 4: the thread waits for the sender
        SwarmCoordinatorLockingTest.waitFor(() -> taken.get() == 4 && consumer.getState() == Thread.State.WAITING,
                "the feeding thread waiting at the bound");
        Thread.sleep(300);
        assertEquals(4, taken.get(), "no input past the bound while the broker stalls");
        assertEquals(List.of(), sent, "nothing went out while the broker stalled");

        brokerBack.countDown();
        consumer.join(10_000);
        sender.join(10_000);
        assertEquals(20, taken.get());
        assertEquals(IntStream.rangeClosed(0, 20).mapToObj(i -> "w" + i).toList(), sent,
                "every write sent once, in the order queued");
    }

    @Test
    void underTheCoordinatorsLockNothingWaitsEvenPastTheBound() throws Exception {
        Thread sender = stallTheSender();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            synchronized (coordinatorLock) {
                for (int i = 1; i <= 10; i++) {
                    queue.cancel(new TaskControl.CancelTask("w" + i, "ctx", "test", Instant.now()));
                    queue.sendQueued(); // an inline model call's outcome: sent by whoever lets go of the lock
                }
            }
        }, "waiting under the lock would hold up every swarm");
        brokerBack.countDown();
        sender.join(10_000);
        queue.flush();
        assertEquals(IntStream.rangeClosed(0, 10).mapToObj(i -> "w" + i).toList(), sent);
    }
}
