package run.codetether.bench.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.bench.support.ClosedLoop;
import run.codetether.bench.support.LoadAverage;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.platform.kafka.KafkaClients;

/**
 * How to accept a task in Kafka (issue 18): the three ways the gateway can write a task's first records (its
 * events on {@code tasks.events}, its {@code StartTask} on {@code tasks.requested}), each with the platform's
 * producer settings (acks=all, idempotent, lz4, linger 1 ms) against a real in-process broker, C concurrent
 * accepts, N accepts each after N/5 warm-up:
 * <ul>
 *   <li>{@code serial}: the events awaited, then the command awaited (the gateway before issue 18);
 *   <li>{@code pipelined}: both sent, then both awaited;
 *   <li>{@code transaction}: both in one Kafka transaction; one transactional producer runs one transaction at a
 *       time, so concurrent accepts are grouped into the next transaction (group commit).
 * </ul>
 * Args: {@code requests concurrency} (defaults 5000 32).
 */
public final class AcceptWritesBench {
    private static final String EVENT = "x".repeat(400);
    private static final String COMMAND = "y".repeat(600);

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4)) {
            KafkaClients clients = KafkaClients.forBootstrap(kafka.bootstrapServers());
            try (KafkaProducer<String, String> plain = clients.producer("bench-plain", new StringSerializer(),
                    new StringSerializer());
                    GroupCommit txn = new GroupCommit(clients.producer("bench-txn",
                            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-accept"), new StringSerializer(),
                            new StringSerializer()))) {
                Accept serial = id -> send(plain, Topics.TASKS_EVENTS, id, EVENT)
                        .thenCompose(m -> send(plain, Topics.TASKS_REQUESTED, id, COMMAND)).thenApply(m -> null);
                Accept pipelined = id -> CompletableFuture.allOf(send(plain, Topics.TASKS_EVENTS, id, EVENT),
                        send(plain, Topics.TASKS_REQUESTED, id, COMMAND));
                for (int round = 0; round < 2; round++) {
                    for (var mode : List.of(Map.entry("serial", serial), Map.entry("pipelined", pipelined),
                            Map.entry("transaction", (Accept) txn::accept))) {
                        run(mode.getKey(), mode.getValue(), requests / 5, concurrency, true);
                        System.out.println(run(mode.getKey(), mode.getValue(), requests, concurrency, false)
                                + "  load " + LoadAverage.oneMinute());
                    }
                }
            }
        }
    }

    interface Accept {
        CompletableFuture<?> accept(String id);
    }

    static CompletableFuture<RecordMetadata> send(KafkaProducer<String, String> p, String topic, String key,
            String value) {
        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
        p.send(new ProducerRecord<>(topic, key, value), (m, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(m);
            }
        });
        return f;
    }

    /** One transactional producer: every accept waiting when a transaction starts goes into it. */
    static final class GroupCommit implements AutoCloseable {
        private record Pending(String id, CompletableFuture<Void> done) {}

        private final KafkaProducer<String, String> producer;
        private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        private final Thread writer;
        private volatile boolean running = true;

        GroupCommit(KafkaProducer<String, String> producer) {
            this.producer = producer;
            producer.initTransactions();
            writer = Thread.ofPlatform().name("group-commit").start(this::loop);
        }

        CompletableFuture<Void> accept(String id) {
            Pending p = new Pending(id, new CompletableFuture<>());
            queue.add(p);
            return p.done();
        }

        private void loop() {
            List<Pending> batch = new ArrayList<>();
            while (running) {
                try {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch);
                    producer.beginTransaction();
                    for (Pending p : batch) {
                        producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, p.id(), EVENT));
                        producer.send(new ProducerRecord<>(Topics.TASKS_REQUESTED, p.id(), COMMAND));
                    }
                    producer.commitTransaction();
                    batch.forEach(p -> p.done().complete(null));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    batch.forEach(p -> p.done().completeExceptionally(e));
                }
                batch.clear();
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            writer.join();
            producer.close();
        }
    }

    static String run(String name, Accept accept, int requests, int concurrency, boolean warmUp) throws Exception {
        ClosedLoop.Run r = ClosedLoop.run(requests, concurrency, i -> {
            accept.accept("task-" + (warmUp ? "w" : "") + i).get();
            return true;
        });
        return String.format("%-12s ok=%d failed=%d  %.0f accepts/s  p50=%.2f ms  p99=%.2f ms", name, r.ok(),
                r.failed(), requests / r.seconds(), r.p50Ms(), r.p99Ms());
    }
}
