package run.codetether.bench.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.Usage;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.infra.kafka.AgentWorker;
import run.codetether.agent.infra.kafka.KafkaEventPublisher;
import run.codetether.agent.infra.kafka.KafkaSessionStore;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * {@code flood [flood=2000] [slots=16] [modelMs=20] [rounds=3]}: the agent's intake under one tenant's flood (issue
 * 19's fairness, the before/after pair of issue 20). The real worker ({@code AgentWorker}: the Kafka intake, the
 * dispatcher, the loop, Kafka sessions and events) on an embedded broker; a model that answers after
 * {@code modelMs}, so each task holds a slot that long. Tenant A's {@code flood} commands are written to the task
 * topic at once, then tenant B's one; measured: B's time from its write to its COMPLETED event, against B alone,
 * and how long A's flood took to drain (throughput). Compiles against the intake before and after the fair queue
 * (same worker API), so the same file measures both builds.
 */
final class FloodBench {
    private FloodBench() {}

    static void run(int flood, int slots, int modelMs, int rounds) throws Exception {
        System.out.printf("flood: tenant A writes %d commands at once, then tenant B one; %d slots, model %d ms,"
                + " load %s%n", flood, slots, modelMs, load());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4)) {
            String bootstrap = broker.bootstrapServers();
            String topic = taskTopic(bootstrap, "flood");
            KafkaSessionStore sessions = new KafkaSessionStore(bootstrap);
            KafkaEventPublisher publisher = new KafkaEventPublisher(bootstrap);
            AgentLoop loop = new AgentLoop(AgentSettings.defaults("bench"), AgentBench.fixed(slowModel(modelMs)),
                    AgentBench.INSTANT_TOOLS, CallRouter.DISABLED, publisher, sessions, TaskMetrics.NONE);
            AgentWorker worker = new AgentWorker(bootstrap, topic, "flood-" + UUID.randomUUID(), "bench", loop, slots);
            worker.awaitReady(Duration.ofSeconds(30));
            try (Finals finals = new Finals(bootstrap); KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
                for (int i = 0; i < 20; i++) { // warm-up: class loading, JIT, the first session writes
                    alone(producer, topic, finals);
                }
                List<Long> alone = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    alone.add(alone(producer, topic, finals));
                }
                Collections.sort(alone);
                System.out.printf("  B alone: p50 %d ms, max %d ms (n=%d)%n", alone.get(alone.size() / 2),
                        alone.get(alone.size() - 1), alone.size());
                for (int r = 0; r < rounds; r++) {
                    List<String> floodIds = new ArrayList<>();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < flood; i++) {
                        String id = "a-" + UUID.randomUUID();
                        floodIds.add(id);
                        producer.send(record(topic, command(id, "tenant-a")));
                    }
                    producer.flush();
                    String b = "b-" + UUID.randomUUID();
                    long tb = System.nanoTime();
                    producer.send(record(topic, command(b, "tenant-b"))).get();
                    long bMs = (finals.await(b) - tb) / 1_000_000;
                    long drained = floodIds.stream().mapToLong(finals::await).max().orElse(t0);
                    double drainS = (drained - t0) / 1e9;
                    System.out.printf("  round %d: B during the flood %d ms; A's %d drained in %.1f s (%.0f tasks/s);"
                            + " load %s%n", r + 1, bMs, flood, drainS, flood / drainS, load());
                }
            } finally {
                worker.close();
                sessions.close();
                publisher.close();
            }
        }
    }

    /** A task topic of its own for one run (4 partitions), named after the bench. */
    static String taskTopic(String bootstrap, String bench) throws Exception {
        String topic = "tasks.requested." + bench + "-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        return topic;
    }

    /** One task of B's with nothing else waiting: write to COMPLETED, ms. */
    private static long alone(KafkaProducer<String, byte[]> producer, String topic, Finals finals) throws Exception {
        String id = "b-" + UUID.randomUUID();
        long t = System.nanoTime();
        producer.send(record(topic, command(id, "tenant-b"))).get();
        return (finals.await(id) - t) / 1_000_000;
    }

    static TaskCommand.StartTask command(String id, String tenant) {
        return new TaskCommand.StartTask(id, "c-" + id, tenant, AgentBench.user("go"), null, null, null, null, null,
                null, null, Map.of(), null);
    }

    static ProducerRecord<String, byte[]> record(String topic, TaskCommand cmd) {
        return new ProducerRecord<>(topic, cmd.contextId(), ContractJson.write(cmd));
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A model that answers with text after {@code ms}: each task holds its slot that long. */
    private static ChatProvider slowModel(int ms) {
        return new ChatProvider() {
            @Override
            public ModelReply chat(ModelRequest r, Consumer<String> partial) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ModelReply("finished", List.of(), new Usage(10, 2));
            }
        };
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /**
     * Reads tasks.events on its own thread and notes when each task's first WORKING and its COMPLETED arrived
     * (nanoTime; {@link StartsBench} reads the first).
     */
    static final class Finals implements AutoCloseable {
        private final Map<String, Long> done = new ConcurrentHashMap<>();
        private final Map<String, Long> working = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Finals(String bootstrap) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "1");
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.TASKS_EVENTS)
                    .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            thread = Thread.ofPlatform().name("flood-finals").start(this::read);
        }

        private void read() {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    TaskEvent e = ContractJson.read(r.value(), TaskEvent.class);
                    if (e instanceof TaskEvent.StatusChanged s && s.status().state() == TaskState.WORKING) {
                        working.putIfAbsent(e.taskId(), System.nanoTime());
                    }
                    if (e instanceof TaskEvent.StatusChanged s && s.isFinal()) {
                        if (s.status().state() != TaskState.COMPLETED) {
                            System.out.printf("  task %s ended %s%n", e.taskId(), s.status().state());
                        }
                        done.putIfAbsent(e.taskId(), System.nanoTime());
                    }
                }
            }
            consumer.close();
        }

        /** When the task's first WORKING arrived (nanoTime), or null. */
        Long workingAt(String taskId) {
            return working.get(taskId);
        }

        /** When the task's final status arrived; waits up to 10 minutes for it (nanoTime). */
        long await(String taskId) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                Long at = done.get(taskId);
                if (at != null) {
                    return at;
                }
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("no final status of " + taskId + " within 10 minutes");
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
