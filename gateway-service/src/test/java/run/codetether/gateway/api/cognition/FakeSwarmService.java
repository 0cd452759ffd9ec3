package run.codetether.gateway.api.cognition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.cognition.CognitionCommand;
import run.codetether.contracts.cognition.CognitionRecord;
import run.codetether.contracts.cognition.CognitionStatus;
import run.codetether.contracts.cognition.LineageGraph;
import run.codetether.contracts.cognition.LineageNode;
import run.codetether.contracts.cognition.MemorySnapshot;
import run.codetether.contracts.cognition.PersonaIdentity;
import run.codetether.contracts.cognition.PersonaPolicy;
import run.codetether.contracts.cognition.PersonaRuntimeState;
import run.codetether.contracts.cognition.PersonaStatus;
import run.codetether.contracts.cognition.ReapPersonaResponse;
import run.codetether.contracts.cognition.ThoughtEvent;
import run.codetether.contracts.cognition.ThoughtEventType;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;

/**
 * Stands in for swarm-service on the real broker: reads {@code cognition.commands} and answers on
 * {@code cognition.events} with the replies swarm-service gives (the persona rules themselves are tested in
 * swarm-service). Parents named {@code deep}/{@code wide} answer the two limit errors, {@code ghost} is unknown and
 * reaping {@code silent} gets no answer at all. Keeps every raw command for assertions on the wire format.
 */
final class FakeSwarmService implements AutoCloseable {
    final List<String> rawCommands = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, Object> producer;
    private final Thread thread;
    private volatile boolean running = true;
    private final String bootstrap;

    FakeSwarmService(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(Topics.COGNITION_COMMANDS, 0);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ContractSerializer());
        thread = Thread.ofPlatform().daemon().name("fake-swarm-service").start(this::run);
    }

    private void run() {
        try {
            while (running) {
                for (var r : consumer.poll(Duration.ofMillis(50))) {
                    rawCommands.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
                    answer(ContractJson.read(r.value(), CognitionCommand.class));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void answer(CognitionCommand cmd) {
        String id = cmd.requestId();
        switch (cmd) {
            case CognitionCommand.Start s -> {
                publish(new CognitionRecord.Reply(id, 200, null, status(true, 2), null, null));
                publish(view(true));
            }
            case CognitionCommand.Stop s -> publish(new CognitionRecord.Reply(id, 200, null, status(false, 2), null, null));
            case CognitionCommand.CreatePersona c -> publish(new CognitionRecord.Reply(id, 200, null, null,
                    persona(c.request().personaId(), c.request().name(), null, 0), null));
            case CognitionCommand.SpawnPersona s -> {
                switch (s.parentId()) {
                    case "deep" -> publish(new CognitionRecord.Reply(id, 422,
                            "Spawn depth limit reached: depth 5 exceeds max_spawn_depth 4", null, null, null));
                    case "wide" -> publish(new CognitionRecord.Reply(id, 422,
                            "Branching limit reached: parent wide already has 4 children (max_branching_factor 4)",
                            null, null, null));
                    case "ghost" -> publish(new CognitionRecord.Reply(id, 404, "Persona not found: ghost", null, null, null));
                    default -> publish(new CognitionRecord.Reply(id, 200, null, null,
                            persona(s.request().personaId(), s.request().name(), s.parentId(), 1), null));
                }
            }
            case CognitionCommand.ReapPersona rp -> {
                switch (rp.personaId()) {
                    case "silent" -> { }
                    case "ghost" -> publish(new CognitionRecord.Reply(id, 404, "Persona not found: ghost", null, null, null));
                    default -> {
                        List<String> ids = rp.request() != null && rp.request().cascadeOrFalse()
                                ? List.of(rp.personaId(), rp.personaId() + "-child") : List.of(rp.personaId());
                        publish(new CognitionRecord.Reply(id, 200, null, null, null, new ReapPersonaResponse(ids, ids.size())));
                    }
                }
            }
        }
    }

    long thought(String eventId) {
        return publish(new CognitionRecord.Thought(new ThoughtEvent(eventId, ThoughtEventType.THOUGHT_GENERATED,
                "root-thinker", "swarm-core", Instant.now(), Map.of("phase", "observe", "thinking", "hello"))));
    }

    long snapshot(String snapshotId) {
        return publish(new CognitionRecord.Snapshot(new MemorySnapshot(snapshotId, Instant.now(), "swarm-core",
                List.of("root-thinker"), "summary " + snapshotId, 3, 2, 1, Map.of("source", "fallback"))));
    }

    static CognitionStatus status(boolean running, int personas) {
        return new CognitionStatus(true, running, 2000, Instant.parse("2026-01-01T00:00:00Z"), null, personas, personas, 7, 1);
    }

    static CognitionRecord.View view(boolean running) {
        var root = persona("root-thinker", "root-thinker", null, 0);
        var kid = persona("kid", "kid", "root-thinker", 1);
        var lineage = new LineageGraph(List.of(
                new LineageNode("kid", "root-thinker", List.of(), 1, PersonaStatus.ACTIVE),
                new LineageNode("root-thinker", null, List.of("kid"), 0, PersonaStatus.ACTIVE)), List.of("root-thinker"), 1);
        return new CognitionRecord.View(status(running, 2), List.of(root, kid), lineage, List.of(), "fake", Instant.now());
    }

    static PersonaRuntimeState persona(String id, String name, String parent, int depth) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new PersonaRuntimeState(new PersonaIdentity(id == null ? "generated" : id, name, "worker", "charter",
                "swarm-core", parent, depth, t), PersonaPolicy.defaults(), PersonaStatus.ACTIVE, 0, null, t);
    }

    long publish(CognitionRecord record) {
        try {
            return producer.send(new ProducerRecord<>(Topics.COGNITION_EVENTS, "cognition", record)).get(10, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record as raw JSON (one the contracts may not read). */
    long publishRaw(String json) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var raw = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            return raw.send(new ProducerRecord<>(Topics.COGNITION_EVENTS, "cognition", json)).get(10, TimeUnit.SECONDS)
                    .offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
