package run.codetether.bench.store;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.InFlightTasks;
import run.codetether.gateway.domain.ListQuery;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.TaskPage;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.kafka.KafkaTaskLog;
import run.codetether.gateway.infra.kafka.KafkaTaskStateSync;
import run.codetether.gateway.infra.kafka.TaskStateWriter;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.gateway.infra.TaskStateStart;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The gateway's task store at scale (issue 19: 1,000,000 stored tasks with a heap <= 256 MB, restart to ready <=
 * 10 s). Two steps, each its own JVM, against a broker in a third ({@code LocalKafkaMain}):
 *
 * <pre>
 * write BOOTSTRAP TASKS [BYTES]   tasks.state gets TASKS finished tasks of about BYTES each (1 in 1000 working)
 * start BOOTSTRAP STORE_DIR       the gateway's store, view and Kafka sync start as GatewayBeans starts them;
 *                                 prints start-to-ready, heap after GC, GetTask and ListTasks times
 * flow BOOTSTRAP RATE SECONDS     tasks.events gets RATE new tasks a second for SECONDS (each submitted, working,
 *                                 an answer artifact, completed: four events as the live path writes them), so a
 *                                 start runs while tasks flow
 * checkpoint STORED PER ROUNDS [BYTES]  no broker: a store in a temporary directory gets STORED tasks, then ROUNDS
 *                                 times PER new tasks and a checkpoint (PER = tasks per checkpoint interval); prints
 *                                 the CPU of put and checkpoint and the bytes written to the file per task
 * </pre>
 *
 * Run {@code start} with {@code -Xmx256m}: on an empty STORE_DIR it is the cold start, again on the same one the
 * warm restart.
 */
public final class GatewayStoreBench {
    private static final int TENANTS = 10;
    private static final int OWNERS = 100;

    private GatewayStoreBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || (args[0].equals("checkpoint") && args.length < 4)) {
            System.err.println("usage: write BOOTSTRAP TASKS [BYTES] | start BOOTSTRAP STORE_DIR"
                    + " | flow BOOTSTRAP RATE SECONDS | checkpoint STORED PER ROUNDS [BYTES]");
            System.exit(2);
        }
        switch (args[0]) {
            case "write" -> write(args[1], Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3])
                    : 2048);
            case "start" -> start(args[1], Path.of(args[2]));
            case "flow" -> flow(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "checkpoint" -> StoreCheckpointBench.run(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 1024);
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
        System.exit(0);
    }

    static String id(int i) {
        return String.format("task-%08d", i);
    }

    static Task task(int i, int bytes, Instant t0) {
        String id = id(i);
        String ctx = "ctx-" + (i / 3);
        TaskState state = i % 1000 == 0 ? TaskState.WORKING : i % 10 == 0 ? TaskState.FAILED : TaskState.COMPLETED;
        int text = Math.max(16, (bytes - 700) / 2);
        char[] fill = new char[text];
        Arrays.fill(fill, (char) ('a' + i % 26));
        Message user = new Message("m-u-" + id, Role.USER, List.of(Part.Text.of("question " + i + " " + new String(
                fill, 0, text / 4))), ctx, id, null, null, null);
        Message agent = new Message("m-a-" + id, Role.AGENT, List.of(Part.Text.of(new String(fill, 0, text / 4))),
                ctx, id, null, null, null);
        Artifact out = new Artifact("out-" + id, "answer", null, List.of(Part.Text.of(new String(fill))), null, null);
        return new Task(id, ctx, new TaskStatus(state, null, t0.plusMillis(i)), List.of(out), List.of(user, agent),
                Map.of("source", "bench"), new Task.Submission("client-" + (i % OWNERS), "tenant-" + (i % TENANTS),
                        null));
    }

    static void write(String bootstrap, int tasks, int bytes) {
        TaskTopics.ensure(bootstrap, 4);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        long began = System.nanoTime();
        try (KafkaTaskLog log = new KafkaTaskLog(bootstrap, "store-bench-writer")) {
            TaskStateWriter writer = log.stateWriter();
            for (int i = 0; i < tasks; i++) {
                writer.offer(task(i, bytes, t0), i);
                if (i % 10_000 == 0 && i > 0) {
                    // the writer keeps what waits in memory: hand over in slices, not a million tasks at once
                    awaitWritten(writer);
                }
                if (i % 100_000 == 0 && i > 0) {
                    System.out.printf("written %d tasks in %.1f s%n", i, (System.nanoTime() - began) / 1e9);
                }
            }
            awaitWritten(writer);
        }
        System.out.printf("WRITE %d tasks of ~%d bytes (json %d) in %.1f s%n", tasks, bytes,
                run.codetether.contracts.events.ContractJson.write(task(1, bytes, t0)).length,
                (System.nanoTime() - began) / 1e9);
    }

    /**
     * New tasks at a steady rate, each as agent and gateway put it on {@code tasks.events}: submitted, working, the
     * answer, completed. Paced per task against the clock (not bursts per second), so a start sees a steady stream.
     */
    static void flow(String bootstrap, int rate, int seconds) {
        TaskTopics.ensure(bootstrap, 4);
        long began = System.nanoTime();
        long every = 1_000_000_000L / rate;
        int total = rate * seconds;
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<java.util.concurrent.CompletableFuture<List<Long>>> pending = new ArrayList<>();
        long late = 0;
        // a patient send timeout: on a starved machine the flow must slow down, not die of the client's 2 s
        try (KafkaTaskLog log = new KafkaTaskLog(bootstrap, "store-bench-flow", Duration.ofSeconds(60))) {
            for (int i = 0; i < total; i++) {
                long due = began + i * every;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else if (wait < -every) {
                    late++;
                }
                String id = "flow-" + run + "-" + i;
                String ctx = "ctx-" + id;
                Instant now = Instant.now();
                var submission = new Task.Submission("client-" + (i % OWNERS), "tenant-" + (i % TENANTS), null);
                List<TaskEvent> events = List.of(
                        new TaskEvent.StatusChanged(id, ctx, "gateway", new TaskStatus(TaskState.SUBMITTED, null,
                                now), Progress.NONE, Map.of(), submission, now),
                        new TaskEvent.StatusChanged(id, ctx, "agent", new TaskStatus(TaskState.WORKING, null, now),
                                Map.of(), now),
                        new TaskEvent.ArtifactAdded(id, ctx, "agent", new Artifact("out-" + id, "answer", null,
                                List.of(Part.Text.of("answer " + i)), null, null), false, true, now),
                        new TaskEvent.StatusChanged(id, ctx, "agent", new TaskStatus(TaskState.COMPLETED, null, now),
                                Map.of(), now));
                pending.add(log.appendEvents(id, events));
                if (pending.size() >= 1_000) {
                    pending.forEach(java.util.concurrent.CompletableFuture::join);
                    pending.clear();
                }
                if (i > 0 && i % (rate * 10) == 0) {
                    System.out.printf("FLOW %d tasks in %.1f s%n", i, (System.nanoTime() - began) / 1e9);
                }
            }
            pending.forEach(java.util.concurrent.CompletableFuture::join);
        }
        double took = (System.nanoTime() - began) / 1e9;
        System.out.printf("FLOW done: %d tasks (%d events) asked at %d/s, sent at %.1f/s in %.1f s, %d sent late by "
                + "more than one interval%n", total, total * 4L, rate, total / took, took, late);
    }

    private static void awaitWritten(TaskStateWriter writer) {
        try {
            if (!writer.awaitWritten(Duration.ofMinutes(5))) {
                throw new IllegalStateException("tasks.state records not written within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing tasks.state", e);
        }
    }

    static void start(String bootstrap, Path storeDir) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long began = System.nanoTime();
        InFlightTasks inFlight = InFlightTasks.unlimited();
        // as GatewayBeans starts it: the store opens and the producers are made beside the Kafka lookups
        TaskStateStart.Parts parts = TaskStateStart.start(KafkaClients.forBootstrap(bootstrap), new LoopHealth(),
                new TaskStateStart.Settings("store-bench-gateway", storeDir, 16, Duration.ofSeconds(2),
                        Duration.ofMinutes(30), Duration.ofMinutes(30)), () -> { },
                s -> new TaskView(s, new TaskCache(TaskView.DEFAULT_CACHED_TASKS, TaskView.DEFAULT_CACHED_BYTES),
                        e -> { }, inFlight::observe));
        MvTaskStore store = parts.store();
        TaskView view = parts.view();
        KafkaTaskLog log = parts.log();
        KafkaTaskStateSync sync = parts.sync();
        long readyMs = (System.nanoTime() - began) / 1_000_000;
        long sinceJvm = System.currentTimeMillis() - jvmStart;
        // the CPU this JVM used until ready: what a start costs apart from the machine's load (wall time on a
        // starved 2-core machine is mostly waiting for a core)
        double cpuToReady = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapAfterGc = mem.getHeapMemoryUsage().getUsed();
        System.out.printf("START %s: ready in %d ms (%d ms since the JVM started, CPU %.2f s); %s; %d tasks stored, "
                        + "%d in progress (admission count %d); heap after GC %.1f MiB of max %.0f MiB%n",
                sync.lastStart().warm() ? "warm" : "cold", readyMs, sinceJvm, cpuToReady, sync.lastStart(), view.size(),
                view.inProgress().size(), inFlight.total(), heapAfterGc / 1048576.0,
                mem.getHeapMemoryUsage().getMax() / 1048576.0);
        Random random = new Random(42);
        int n = (int) view.size();
        List<Long> gets = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String id = id(random.nextInt(n));
            long t = System.nanoTime();
            if (view.get(id).isEmpty()) {
                throw new IllegalStateException("missing " + id);
            }
            gets.add(System.nanoTime() - t);
        }
        gets.sort(null);
        System.out.printf("GETTASK 2000 random ids: p50 %.3f ms, p99 %.3f ms%n", gets.get(1000) / 1e6,
                gets.get(1980) / 1e6);
        TaskEngine engine = new TaskEngine(log, view, "bench");
        timeList(engine, "ListTasks anonymous, no filter (50 per page)", new ListQuery(null, null, null, 50, null, 0,
                null, false), Caller.ANONYMOUS);
        timeList(engine, "ListTasks of one client in one tenant (totalSize from the counts per owner and tenant)",
                new ListQuery("tenant-7", null, null, 50, null, 0, null, false), new Caller("client-7"));
        System.gc();
        System.out.printf("HEAP after GC at the end: %.1f MiB%n", mem.getHeapMemoryUsage().getUsed() / 1048576.0);
        sync.close();
        log.close();
        store.close();
    }

    private static void timeList(TaskEngine engine, String what, ListQuery q, Caller caller) {
        long t = System.nanoTime();
        TaskPage page = engine.list(q, caller);
        System.out.printf("LIST %s: %d tasks, totalSize %d, %.1f ms%n", what, page.tasks().size(), page.totalSize(),
                (System.nanoTime() - t) / 1e6);
    }
}
