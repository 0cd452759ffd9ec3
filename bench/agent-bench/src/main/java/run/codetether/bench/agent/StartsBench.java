package run.codetether.bench.agent;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * {@code starts [waves=20] [at-once=64]}: the agent's run start when many tasks arrive together (issue 18: at c=64 the
 * hop dispatched -> WORKING was a third of a task's time). The real worker ({@code AgentWorker}: Kafka intake,
 * dispatcher with {@code at-once} slots, loop, Kafka sessions and events) on an embedded broker, a model that answers
 * at once. Each wave writes {@code at-once} StartTask commands of new contexts together and waits for every final
 * status; printed per build: p50/p90 of command written -> first WORKING read back and -> COMPLETED read back, over
 * the waves after the first quarter (warm-up), and the JVM's CPU per task (broker, agent and reader share the JVM, so
 * it compares builds, it is not the agent's own share). Compiles against main's worker API, so the same file measures
 * both builds (swap the agent-service jar on the class path).
 */
final class StartsBench {
    private StartsBench() {}

    static void run(int waves, int atOnce) throws Exception {
        System.out.printf("starts: %d waves of %d tasks written at once, %d slots, instant model, load %s%n", waves,
                atOnce, atOnce, FloodBench.load());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4)) {
            String bootstrap = broker.bootstrapServers();
            String topic = FloodBench.taskTopic(bootstrap, "starts");
            KafkaSessionStore sessions = new KafkaSessionStore(bootstrap);
            KafkaEventPublisher publisher = new KafkaEventPublisher(bootstrap);
            AgentLoop loop = new AgentLoop(AgentSettings.defaults("bench"), AgentBench.fixed(instantAnswer()),
                    AgentBench.INSTANT_TOOLS, CallRouter.DISABLED, publisher, sessions, TaskMetrics.NONE);
            AgentWorker worker = new AgentWorker(bootstrap, topic, "starts-" + UUID.randomUUID(), "bench", loop,
                    atOnce);
            worker.awaitReady(Duration.ofSeconds(30));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            try (FloodBench.Finals seen = new FloodBench.Finals(bootstrap);
                    KafkaProducer<String, byte[]> producer = FloodBench.producer(bootstrap)) {
                int warmup = Math.max(1, waves / 4);
                List<Long> toWorking = new ArrayList<>();
                List<Long> toCompleted = new ArrayList<>();
                long cpu0 = 0;
                long wall0 = 0;
                for (int w = 0; w < waves; w++) {
                    if (w == warmup) {
                        cpu0 = os.getProcessCpuTime();
                        wall0 = System.nanoTime();
                    }
                    List<String> ids = new ArrayList<>();
                    List<Long> written = new ArrayList<>();
                    for (int i = 0; i < atOnce; i++) {
                        String id = "s-" + UUID.randomUUID();
                        ids.add(id);
                        written.add(System.nanoTime());
                        producer.send(FloodBench.record(topic, FloodBench.command(id, "tenant-" + (i % 4))));
                    }
                    producer.flush();
                    for (int i = 0; i < atOnce; i++) {
                        long completed = seen.await(ids.get(i));
                        Long working = seen.workingAt(ids.get(i));
                        if (w >= warmup) {
                            toCompleted.add((completed - written.get(i)) / 1_000_000);
                            toWorking.add(working == null ? -1 : (working - written.get(i)) / 1_000_000);
                        }
                    }
                }
                double tasks = (double) (waves - warmup) * atOnce;
                double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / tasks;
                double rate = tasks / ((System.nanoTime() - wall0) / 1e9);
                System.out.printf("  written -> WORKING read: p50 %d ms, p90 %d ms; -> COMPLETED read: p50 %d ms,"
                        + " p90 %d ms; %.0f tasks/s; JVM CPU %.2f ms per task (n=%d); load %s%n", pct(toWorking, 50),
                        pct(toWorking, 90), pct(toCompleted, 50), pct(toCompleted, 90), rate, cpuMs, (int) tasks,
                        FloodBench.load());
            } finally {
                worker.close();
                sessions.close();
                publisher.close();
            }
        }
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    private static ChatProvider instantAnswer() {
        return new ChatProvider() {
            @Override
            public ModelReply chat(ModelRequest r, Consumer<String> partial) {
                return new ModelReply("done", List.of(), new Usage(10, 2));
            }
        };
    }
}
