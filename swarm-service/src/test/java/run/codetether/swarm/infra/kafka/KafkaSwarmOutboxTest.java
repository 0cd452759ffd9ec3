package run.codetether.swarm.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmState;
import run.codetether.contracts.swarm.SwarmStrategy;

/**
 * A state send that blocks (the producer waiting up to max.block.ms for the topic's metadata) holds up only the
 * thread that sends: the coordinator's other threads keep saving, and a swarm's states still reach the producer in
 * the order they were saved.
 */
class KafkaSwarmOutboxTest {
    /** Sends from the thread named "stalled-sender" wait for {@link #release}, as a producer without metadata does. */
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final MockProducer<String, Object> producer = new MockProducer<>(true, null, (t, d) -> d.getBytes(),
            (t, d) -> new byte[0]) {
        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, Object> r, Callback callback) {
            if (Thread.currentThread().getName().equals("stalled-sender")) {
                stalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.send(r, callback);
        }
    };
    final KafkaSwarmOutbox outbox = new KafkaSwarmOutbox(producer);

    @AfterEach
    void open() {
        release.countDown();
    }

    static SwarmState state(String swarmId, SwarmPhase phase, long version) {
        var cmd = new SwarmCommand.StartSwarm(swarmId, "task-" + swarmId, "ctx-" + swarmId, null, "goal",
                SwarmStrategy.AUTO, "local", null, 4, 0, null, null);
        return new SwarmState(cmd, phase, List.of(), 0, null, null, "c1", version, null, null);
    }

    Thread flushOn(String name) {
        return Thread.ofPlatform().name(name).start(outbox::flushStates);
    }

    List<String> sentStates() {
        return producer.history().stream().filter(r -> r.topic().equals(Topics.SWARM_STATE))
                .map(r -> r.key() + ":" + ((SwarmState) r.value()).phase() + ":" + ((SwarmState) r.value()).version())
                .toList();
    }

    @Test
    void aBlockedFlushDoesNotBlockSavesAndAFinishedStateSavedMeanwhileGoesOutAfterIt() throws Exception {
        outbox.save(state("a", SwarmPhase.RUNNING, 1));
        Thread flusher = flushOn("stalled-sender");
        assertTrue(stalled.await(5, TimeUnit.SECONDS), "the flush is sending a's state");

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            outbox.save(state("b", SwarmPhase.RUNNING, 1));
            outbox.save(state("a", SwarmPhase.COMPLETED, 2));
            outbox.save(state("c", SwarmPhase.FAILED, 1));
        }, "saves return while another thread's send waits for the broker");
        assertEquals(List.of(), sentStates(), "nothing got past the stalled send");

        release.countDown();
        flusher.join(5000);
        assertEquals(List.of("a:RUNNING:1", "a:COMPLETED:2", "c:FAILED:1"), sentStates(),
                "the stalled sender sends the finished states saved meanwhile, a's after its older one");
        outbox.flushStates();
        assertEquals("b:RUNNING:1", sentStates().getLast(), "the running state waits for the next flush");
    }

    @Test
    void aFinishedStateIsSentByItsSaverWhenNobodyElseSends() {
        outbox.save(state("a", SwarmPhase.RUNNING, 1));
        outbox.save(state("b", SwarmPhase.CANCELED, 1));
        assertEquals(List.of("b:CANCELED:1"), sentStates(), "finished: at once; running: coalesced");
        outbox.save(state("a", SwarmPhase.RUNNING, 2));
        outbox.flushStates();
        assertEquals(List.of("b:CANCELED:1", "a:RUNNING:2"), sentStates(), "only a's newest running state");
    }

    @Test
    void aSendThatFailsKeepsTheStateForTheNextFlushUnlessANewerOneCame() {
        CompletableFuture<Void> once = new CompletableFuture<>();
        var failing = new MockProducer<String, Object>(true, null, (t, d) -> d.getBytes(), (t, d) -> new byte[0]) {
            @Override
            public Future<RecordMetadata> send(ProducerRecord<String, Object> r, Callback callback) {
                if (once.complete(null)) {
                    throw new org.apache.kafka.common.errors.InterruptException("interrupted waiting for metadata");
                }
                return super.send(r, callback);
            }
        };
        KafkaSwarmOutbox o = new KafkaSwarmOutbox(failing);
        o.save(state("a", SwarmPhase.RUNNING, 1));
        o.save(state("b", SwarmPhase.RUNNING, 1));
        try {
            o.flushStates();
        } catch (RuntimeException expected) {
            // the first send failed
        }
        Thread.interrupted(); // InterruptException sets the flag
        o.save(state("a", SwarmPhase.RUNNING, 2));
        o.flushStates();
        assertEquals(List.of("a:2", "b:1"), failing.history().stream()
                .map(r -> r.key() + ":" + ((SwarmState) r.value()).version()).toList(),
                "b kept for the next flush, a replaced by its newer state");
    }
}
