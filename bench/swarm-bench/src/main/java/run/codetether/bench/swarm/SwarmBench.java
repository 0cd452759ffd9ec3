package run.codetether.bench.swarm;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.contracts.kafka.TaskEventDeserializer;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.swarm.domain.AnswerAggregator;
import run.codetether.swarm.domain.InMemoryResultCache;
import run.codetether.swarm.domain.ProviderRateLimiter;
import run.codetether.swarm.domain.ResultValidator;
import run.codetether.swarm.domain.SwarmCoordinator;
import run.codetether.swarm.domain.SwarmSettings;
import run.codetether.swarm.infra.kafka.KafkaSwarmRuntime;

/**
 * Swarm benchmark on a real in-process Kafka broker: one coordinator, a fixed two-stage plan (no LLM), and
 * zero-latency workers. Measures coordination overhead (publish of the swarm to its final event), the time until
 * every subtask was dispatched, heap use, and throughput with 1, 2 and 4 worker processes.
 *
 * <pre>java -jar swarm-bench.jar [--subtasks 100] [--runs 5] [--workers 1,2,4] [--work-ms 0]</pre>
 */
public final class SwarmBench {
    private SwarmBench() {}

    public static void main(String[] args) throws Exception {
        quietLogs();
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (List.of(args).contains("--help")) {
            System.out.println("java -jar swarm-bench.jar [--subtasks 100] [--runs 5] [--workers 1,2,4] [--work-ms 0]");
            return;
        }
        int subtasks = Integer.parseInt(opts.getOrDefault("subtasks", "100"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
        long workMs = Long.parseLong(opts.getOrDefault("work-ms", "0"));
        List<Integer> workerCounts = List.of(opts.getOrDefault("workers", "1,2,4").split(",")).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();

        System.out.printf("swarm-bench: %d subtasks (%d + %d in two stages), %d measured runs, JDK %s, %d cpus%n",
                subtasks, Math.max(1, subtasks * 4 / 5), subtasks - Math.max(1, subtasks * 4 / 5), runs,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(8)) {
            String bootstrap = broker.bootstrapServers();
            try (KafkaSwarmRuntime runtime = coordinator(bootstrap, subtasks)) {
                inProcess(bootstrap, subtasks, runs, workMs);
                for (int k : workerCounts) {
                    processes(bootstrap, subtasks, runs, workMs, k);
                }
            }
        }
        System.exit(0);
    }

    private static KafkaSwarmRuntime coordinator(String bootstrap, int subtasks) {
        var plan = BenchPlan.of(subtasks);
        var limiter = new ProviderRateLimiter(100_000, 1_000_000, System::nanoTime);
        return new KafkaSwarmRuntime(bootstrap, "bench-swarm-workers", "bench-coordinator",
                // model calls (here the fixed plan and the join) on virtual threads, as in the service
                outbox -> new SwarmCoordinator("bench-coordinator", (cmd, max) -> plan, new ResultValidator(1, null),
                        new InMemoryResultCache(100_000), limiter, outbox, new SwarmSettings(256, 1000, 0),
                        Clock.systemUTC(), AnswerAggregator.JOIN,
                        java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())).start();
    }

    /** Workers as two threads in this JVM: the coordinator's own costs dominate, nothing crosses a process. */
    private static void inProcess(String bootstrap, int subtasks, int runs, long workMs) throws Exception {
        String group = "bench-inproc-" + UUID.randomUUID();
        positionAtEnd(bootstrap, group, Topics.TASKS_REQUESTED);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String name = "inproc-" + i;
            workers.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    WorkerMain.run(bootstrap, group, workMs, name);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    // stopping
                }
            }));
        }
        awaitStableGroup(bootstrap, group, 2);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        List<Result> results = new ArrayList<>();
        run(bootstrap, subtasks, null); // warm-up: JIT, connections, metadata
        for (int r = 0; r < runs; r++) {
            System.gc();
            long baseline = mem.getHeapMemoryUsage().getUsed();
            AtomicLong peak = new AtomicLong(baseline);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Result res = run(bootstrap, subtasks, null);
            sampler.interrupt();
            results.add(res.withHeap(baseline, peak.get()));
        }
        workers.forEach(Thread::interrupt);
        report("in-process, 2 worker threads", subtasks, results);
    }

    /** Workers as separate JVMs in one consumer group: throughput of the whole Kafka round trip. */
    private static void processes(String bootstrap, int subtasks, int runs, long workMs, int count) throws Exception {
        String group = "bench-proc-" + count + "-" + UUID.randomUUID();
        positionAtEnd(bootstrap, group, Topics.TASKS_REQUESTED);
        String jar = Path.of(SwarmBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            procs.add(new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", jar,
                    WorkerMain.class.getName(), bootstrap, group, Long.toString(workMs))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        try {
            awaitStableGroup(bootstrap, group, count);
            run(bootstrap, subtasks, null);
            List<Result> results = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                results.add(run(bootstrap, subtasks, null));
            }
            report(count + " worker process" + (count > 1 ? "es" : ""), subtasks, results);
        } finally {
            procs.forEach(Process::destroy);
            for (Process p : procs) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    record Result(long totalNanos, long spawnAllNanos, long firstDispatchNanos, long stage0Nanos, long heapBaseline, long heapPeak) {
        Result withHeap(long baseline, long peak) {
            return new Result(totalNanos, spawnAllNanos, firstDispatchNanos, stage0Nanos, baseline, peak);
        }
    }

    /** One swarm: publish, watch its task's events until the final one. Unique goal, so nothing comes from cache. */
    private static Result run(String bootstrap, int subtasks, Object unused) throws Exception {
        String swarmId = "bench-" + UUID.randomUUID();
        var cmd = new SwarmCommand.StartSwarm(swarmId, "task-" + swarmId, "ctx-" + swarmId, null,
                "benchmark goal " + swarmId, SwarmStrategy.AUTO, "bench", null, 256, 1000, null, null);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var events = new KafkaConsumer<>(c, new StringDeserializer(), new TaskEventDeserializer());
                var producer = new KafkaProducer<String, Object>(p, new StringSerializer(), new ContractSerializer())) {
            var parts = events.partitionsFor(Topics.TASKS_EVENTS).stream()
                    .map(i -> new TopicPartition(Topics.TASKS_EVENTS, i.partition())).toList();
            events.assign(parts);
            events.seekToEnd(parts);
            parts.forEach(events::position);
            long start = System.nanoTime();
            producer.send(new ProducerRecord<>(Topics.SWARM_REQUESTED, swarmId, cmd)).get();
            int dispatched = 0;
            long first = -1;
            long all = -1;
            long stage0 = -1;
            int stage0Count = Math.max(1, subtasks * 4 / 5);
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                for (var r : events.poll(Duration.ofMillis(5))) {
                    if (!cmd.taskId().equals(r.key()) || !(r.value() instanceof TaskEvent.StatusChanged s)) {
                        continue;
                    }
                    if ("dispatched".equals(s.metadata().get(run.codetether.contracts.a2a.MetadataKeys.SUBTASK_STATUS))) {
                        dispatched++;
                        long now = System.nanoTime();
                        if (first < 0) {
                            first = now - start;
                        }
                        if (dispatched == stage0Count) {
                            stage0 = now - start;
                        }
                        if (dispatched == subtasks) {
                            all = now - start;
                        }
                    }
                    if (s.isFinal()) {
                        if (!s.status().state().name().equals("COMPLETED")) {
                            throw new IllegalStateException("swarm ended " + s.status().state() + ": "
                                    + s.status().message().text());
                        }
                        return new Result(System.nanoTime() - start, all, first, stage0, 0, 0);
                    }
                }
            }
            throw new IllegalStateException("swarm " + swarmId + " did not finish in 120 s (" + dispatched + " dispatched)");
        }
    }

    private static void report(String label, int subtasks, List<Result> results) {
        System.out.printf("%n== %s ==%n", label);
        List<Double> total = results.stream().map(r -> r.totalNanos() / 1e6).sorted().toList();
        List<Double> spawn = results.stream().map(r -> r.spawnAllNanos() / 1e6).sorted().toList();
        List<Double> first = results.stream().map(r -> r.firstDispatchNanos() / 1e6).sorted().toList();
        System.out.printf("swarm wall time (publish -> final event): median %.1f ms, min %.1f, max %.1f%n",
                median(total), total.get(0), total.get(total.size() - 1));
        System.out.printf("  = coordination overhead per subtask: %.2f ms; throughput %.0f subtasks/s%n",
                median(total) / subtasks, subtasks / (median(total) / 1000));
        System.out.printf("first subtask dispatched after: median %.1f ms%n", median(first));
        List<Double> stage0 = results.stream().map(r -> r.stage0Nanos() / 1e6).sorted().toList();
        System.out.printf("all %d stage-0 subtasks dispatched after: median %.1f ms (spawn burst %.1f ms after the first)%n",
                Math.max(1, subtasks * 4 / 5), median(stage0), median(stage0) - median(first));
        System.out.printf("all %d subtasks dispatched after: median %.1f ms, min %.1f, max %.1f%n", subtasks,
                median(spawn), spawn.get(0), spawn.get(spawn.size() - 1));
        if (results.get(0).heapPeak() > 0) {
            List<Double> delta = results.stream().map(r -> (r.heapPeak() - r.heapBaseline()) / 1048576.0).sorted().toList();
            List<Double> peak = results.stream().map(r -> r.heapPeak() / 1048576.0).sorted().toList();
            System.out.printf("heap (broker + coordinator + workers in one JVM): peak %.1f MiB, growth during a swarm median %.1f MiB%n",
                    peak.get(peak.size() - 1), median(delta));
        }
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void awaitStableGroup(String bootstrap, String group, int members) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                if (d.groupState() == GroupState.STABLE && d.members().size() == members
                        && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("worker group " + group + " did not reach " + members + " members");
        }
    }

    private static void positionAtEnd(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            var ends = admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get();
            admin.alterConsumerGroupOffsets(group, ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> new OffsetAndMetadata(e.getValue().offset())))).all().get();
        }
    }

    /** Kafka logs through slf4j -> JUL here; the numbers are what we want on the console. */
    static void quietLogs() {
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        for (var h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setLevel(Level.WARNING);
        }
    }
}
