package run.codetether.swarm.infra.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.contracts.cognition.CognitionCommand;
import run.codetether.contracts.cognition.CognitionRecord;
import run.codetether.contracts.cognition.CognitionRecordDeserializer;
import run.codetether.contracts.cognition.CreatePersonaRequest;
import run.codetether.contracts.cognition.ReapPersonaRequest;
import run.codetether.contracts.cognition.SpawnPersonaRequest;
import run.codetether.contracts.cognition.StartCognitionRequest;
import run.codetether.contracts.cognition.ThoughtEventType;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.swarm.domain.cognition.CognitionRuntime;
import run.codetether.swarm.domain.cognition.CognitionSettings;
import run.codetether.swarm.infra.SwarmKafkaHarness;

/** The persona runtime behind the real broker: commands in, replies and thoughts out, and a takeover. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaCognitionServiceTest {

    private static KafkaCognitionService service(String bootstrap, String group, String id) {
        return new KafkaCognitionService(bootstrap, group, id, false, sink -> new CognitionRuntime(
                new CognitionSettings(true, 100, 1, 2, 2000, 128), null, sink, Clock.systemUTC())).start();
    }

    @Test
    void commandsAreAnsweredThoughtsFlowAndAnotherReplicaTakesOver(EmbeddedKafkaBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String group = "cog-" + UUID.randomUUID();
        SwarmKafkaHarness.positionAtEnd(bootstrap, group, Topics.COGNITION_COMMANDS);
        try (var events = new Records(bootstrap);
                var producer = SwarmKafkaHarness.producer(bootstrap);
                var a = service(bootstrap, group, "cog-a");
                var b = service(bootstrap, group, "cog-b")) {
            var root = events.ask(producer, new CognitionCommand.CreatePersona(id(), new CreatePersonaRequest("lead",
                    "Lead", "orchestrator", "keep watch", "sw-1", null, null), null));
            assertEquals(200, root.httpStatus(), root.error());
            assertEquals("lead", root.persona().identity().id());

            var kid = events.ask(producer, new CognitionCommand.SpawnPersona(id(), "lead",
                    new SpawnPersonaRequest("kid", "Kid", "worker", "help", null, null), null));
            assertEquals(200, kid.httpStatus(), kid.error());
            assertEquals(1, kid.persona().identity().depth());

            var tooDeep = events.ask(producer, new CognitionCommand.SpawnPersona(id(), "kid",
                    new SpawnPersonaRequest("grandkid", "G", "worker", "help", null, null), null));
            assertEquals(422, tooDeep.httpStatus());
            assertTrue(tooDeep.error().contains("max_spawn_depth 1"), tooDeep.error());

            var unknown = events.ask(producer, new CognitionCommand.ReapPersona(id(), "ghost", new ReapPersonaRequest(true, null), null));
            assertEquals(404, unknown.httpStatus());

            var started = events.ask(producer, new CognitionCommand.Start(id(), new StartCognitionRequest(100L, null), null));
            assertEquals(200, started.httpStatus(), started.error());
            assertTrue(started.status().running());
            assertEquals(2, started.status().personaCount(), "no root-thinker when personas exist");
            events.await(r -> r instanceof CognitionRecord.Snapshot);
            events.await(r -> r instanceof CognitionRecord.Thought t && t.event().eventType() == ThoughtEventType.CHECK_RESULT);

            KafkaCognitionService owner = a.owner() ? a : b;
            String successor = owner == a ? "cog-b" : "cog-a";
            owner.close();
            var restored = events.await(r -> r instanceof CognitionRecord.View v && v.owner().equals(successor)
                    && v.personas().size() == 2);
            assertTrue(((CognitionRecord.View) restored).status().running(), "the loop keeps running after takeover");
            var sibling = events.ask(producer, new CognitionCommand.SpawnPersona(id(), "lead",
                    new SpawnPersonaRequest("kid2", "Kid 2", "worker", "help", null, null), null));
            assertEquals(200, sibling.httpStatus(), sibling.error());
            var third = events.ask(producer, new CognitionCommand.SpawnPersona(id(), "lead",
                    new SpawnPersonaRequest("kid3", "Kid 3", "worker", "help", null, null), null));
            assertEquals(422, third.httpStatus(), "branching limit 2 still counts the restored child");
            assertTrue(third.error().contains("max_branching_factor 2"), third.error());
        }
    }

    /**
     * Issue 18: an idle cognition costs nothing. Not started, or started with no active persona, the owner publishes
     * nothing and its loop thread waits without a timer; a command wakes it and thoughts flow as before.
     */
    @Test
    void anIdleRuntimePublishesNothingAndItsLoopWaitsUntilACommand(EmbeddedKafkaBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String group = "cog-" + UUID.randomUUID();
        SwarmKafkaHarness.positionAtEnd(bootstrap, group, Topics.COGNITION_COMMANDS);
        try (var events = new Records(bootstrap);
                var producer = SwarmKafkaHarness.producer(bootstrap);
                var idle = service(bootstrap, group, "cog-idle")) {
            events.await(r -> r instanceof CognitionRecord.View v && v.owner().equals("cog-idle"));
            // the topic may hold an earlier test's running View, which this owner restored: stop it first
            assertEquals(200, events.ask(producer, new CognitionCommand.Stop(id(), null, null)).httpStatus());
            events.during(Duration.ofMillis(500)); // a tick that was thinking when the stop came
            assertEquals(List.of(), events.during(Duration.ofMillis(1_500)), "stopped: nothing published");
            assertLoopWaitsWithoutTimer();

            var started = events.ask(producer, new CognitionCommand.Start(id(), new StartCognitionRequest(100L, null), null));
            assertEquals(200, started.httpStatus(), started.error());
            var running = (CognitionRecord.View) events.await(r -> r instanceof CognitionRecord.View v
                    && v.owner().equals("cog-idle") && v.status().running());
            events.await(r -> r instanceof CognitionRecord.Thought t && t.event().personaId() != null
                    && t.event().eventType() == ThoughtEventType.THOUGHT_GENERATED);

            for (var p : running.personas()) {
                var reaped = events.ask(producer, new CognitionCommand.ReapPersona(id(), p.identity().id(),
                        new ReapPersonaRequest(false, null), null));
                assertEquals(200, reaped.httpStatus(), reaped.error());
            }
            events.during(Duration.ofMillis(500)); // a tick that was thinking when the last reap came
            assertEquals(List.of(), events.during(Duration.ofMillis(1_500)),
                    "running with no active persona: no tick, no View");
            assertLoopWaitsWithoutTimer();

            var created = events.ask(producer, new CognitionCommand.CreatePersona(id(), new CreatePersonaRequest(
                    "late", "Late", "worker", "watch", "sw-2", null, null), null));
            assertEquals(200, created.httpStatus(), created.error());
            events.await(r -> r instanceof CognitionRecord.Thought t && "late".equals(t.event().personaId())
                    && t.event().eventType() == ThoughtEventType.THOUGHT_GENERATED);

            var stopped = events.ask(producer, new CognitionCommand.Stop(id(), null, null));
            assertEquals(200, stopped.httpStatus(), stopped.error());
            events.during(Duration.ofMillis(500));
            assertEquals(List.of(), events.during(Duration.ofMillis(1_500)), "stopped: nothing published");
            assertLoopWaitsWithoutTimer();
        }
    }

    /** The loop thread parks without a deadline (a timer would wake it and cost CPU while idle). */
    private static void assertLoopWaitsWithoutTimer() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<Thread> loops;
        do {
            Thread.sleep(10);
            // a closed service's loop (an earlier test's) may still be on its way out
            loops = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("cognition-loop") && t.getState() != Thread.State.WAITING)
                    .toList();
        } while (!loops.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), loops, "loop threads not parked without a deadline");
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("cognition-loop")));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /** Reads cognition.events from its end at creation on. */
    static final class Records implements AutoCloseable {
        private final KafkaConsumer<String, CognitionRecord> consumer;
        private final List<CognitionRecord> seen = new ArrayList<>();

        Records(String bootstrap) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new CognitionRecordDeserializer());
            var tp = new TopicPartition(Topics.COGNITION_EVENTS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
        }

        CognitionRecord.Reply ask(org.apache.kafka.clients.producer.KafkaProducer<String, Object> producer,
                CognitionCommand cmd) throws Exception {
            producer.send(new ProducerRecord<>(Topics.COGNITION_COMMANDS, "cognition", cmd)).get(10, TimeUnit.SECONDS);
            var reply = (CognitionRecord.Reply) await(r -> r instanceof CognitionRecord.Reply rp
                    && rp.requestId().equals(cmd.requestId()));
            return reply;
        }

        CognitionRecord await(Predicate<CognitionRecord> match) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (CognitionRecord r : seen) {
                    if (match.test(r)) {
                        seen.remove(r);
                        return r;
                    }
                }
                consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
            }
            throw new AssertionError("no matching cognition record; saw " + seen.size());
        }

        /** Everything that arrives within {@code window}, besides what was already seen and not matched. */
        List<CognitionRecord> during(Duration window) {
            List<CognitionRecord> arrived = new ArrayList<>();
            long deadline = System.nanoTime() + window.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> arrived.add(r.value()));
            }
            seen.clear();
            return arrived;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
