package run.codetether.bench.fullpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import run.codetether.bench.support.LoadAverage;
import run.codetether.bench.support.ProcCpu;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Where the time of one blocking task goes (issue 18, {@code --hops N}): N blocking SendMessage at c=1, c=8 and
 * c=64 against the stack (with the stack's CPU per task and the rate of each level), each with a marker in its
 * text, and afterwards every timestamp the path leaves behind,
 * joined per task:
 * <ul>
 *   <li>the client's send and reply (this JVM's clock);</li>
 *   <li>the {@code CreateTime} of the task's records (the producer's clock when it sent them, the same machine's):
 *       {@code tasks.events} SUBMITTED (gateway accept), {@code tasks.requested} (the work request), the agent's
 *       WORKING, its answer chunk and COMPLETED;</li>
 *   <li>the agent intake's own line per task (DEBUG, on only in this mode): how long after the request was written it
 *       was fetched, how long it waited in the intake buffer, when its run was dispatched;</li>
 *   <li>the gateway reader's line per finished task (DEBUG, this mode only): when its poll returned the COMPLETED
 *       event and when it was folded (the blocking waiter is told in the fold);</li>
 *   <li>when the scripted model got the task's call (this JVM).</li>
 * </ul>
 * The p50 of each hop per level is printed as a markdown table (hops of one task add up to its total; a p50 of
 * sums is not the sum of p50s).
 */
final class Hops {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("hop-([0-9a-f]{32})");
    private static final Pattern FOLDED = Pattern.compile("task (\\S+) COMPLETED folded (-?\\d+) ms after it was made:"
            + " its poll returned (-?\\d+) ms after that");
    private static final Pattern DISPATCH = Pattern.compile("task (\\S+) \\(tenant \\S+\\) started: fetched (-?\\d+) ms"
            + " after it was written, then (\\d+) ms in the intake buffer.*dispatched at (\\d+)");
    /** The hops, in path order: name, from, to (timestamps of {@link Task}). */
    static final List<String[]> HOPS = List.of(
            new String[] {"client send -> gateway appends SUBMITTED", "send", "submitted"},
            new String[] {"SUBMITTED -> tasks.requested sent", "submitted", "requested"},
            new String[] {"tasks.requested -> agent fetched it", "requested", "fetched"},
            new String[] {"agent fetched -> run dispatched (intake buffer)", "fetched", "dispatched"},
            new String[] {"run dispatched -> agent sends WORKING", "dispatched", "working"},
            new String[] {"WORKING -> model gets the call", "working", "model"},
            new String[] {"model call -> answer chunk sent", "model", "chunk"},
            new String[] {"answer chunk -> COMPLETED sent", "chunk", "completed"},
            new String[] {"COMPLETED sent -> gateway reader's poll returned it", "completed", "gwpolled"},
            new String[] {"gateway poll -> COMPLETED folded (waiter told)", "gwpolled", "gwfolded"},
            new String[] {"folded -> client has the reply", "gwfolded", "reply"},
            new String[] {"total (client send -> reply)", "send", "reply"});

    private final Map<String, Long> modelAt = new ConcurrentHashMap<>();

    /** Per task: named timestamps in epoch milliseconds. */
    record Task(String taskId, int level, Map<String, Long> at) {}

    private Hops() {}

    static void run(LocalStack stack, ScriptedLlmServer model, Path logs, int perLevel) {
        Hops h = new Hops();
        model.respondWith(request -> {
            Matcher m = MARKER.matcher(request.rawBody());
            if (m.find()) {
                h.modelAt.putIfAbsent(m.group(1), System.currentTimeMillis());
            }
            return Reply.text("ok");
        });
        System.out.printf("fullpath-bench: hops: warm-up %d blocking tasks at c=8%n", perLevel);
        h.send(stack.gatewayUrl(), 8, perLevel, -1);
        List<Task> tasks = new ArrayList<>();
        for (int level : new int[] {1, 8, 64}) {
            double load = LoadAverage.oneMinute();
            ProcCpu.Snapshot before = ProcCpu.snapshot(stack.pids());
            long t0 = System.nanoTime();
            tasks.addAll(h.send(stack.gatewayUrl(), level, perLevel, level));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> cpu = ProcCpu.snapshot(stack.pids()).since(before);
            StringBuilder split = new StringBuilder();
            cpu.forEach((name, ms) -> split.append(String.format(" %s %.2f", name, ms / perLevel)));
            System.out.printf("fullpath-bench: hops: %d tasks at c=%d in %.1f s (%.0f tasks/s), CPU ms per task %.2f"
                    + " (%s), load %.2f -> %.2f%n", perLevel, level, seconds, perLevel / seconds,
                    cpu.values().stream().mapToDouble(Double::doubleValue).sum() / perLevel, split.toString().strip(),
                    load, LoadAverage.oneMinute());
        }
        h.join(tasks, stack.bootstrapServers(), logs.resolve("agent.log"), logs.resolve("gateway.log"));
        print(tasks);
    }

    /** Sends {@code count} blocking tasks on {@code level} connections; returns the measured ones (level >= 0). */
    private List<Task> send(String url, int level, int count, int label) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Task> out = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger left = new AtomicInteger(count);
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.abs(level));
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < Math.abs(level); i++) {
            workers.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    String marker = UUID.randomUUID().toString().replace("-", "");
                    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":"
                            + "{\"messageId\":\"" + UUID.randomUUID()
                            + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":"
                            + "\"Say ok. hop-" + marker + "\"}]}}}";
                    long sent = System.currentTimeMillis();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                            .header("A2A-Version", "1.0").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long reply = System.currentTimeMillis();
                    JsonNode task = JSON.readTree(r.body()).path("result").path("task");
                    if (r.statusCode() != 200 || !Server.COMPLETED.equals(task.path("status").path("state").asText())) {
                        // counted and left out (an overloaded machine times out a first tools listing): the hops
                        // are those of completed tasks
                        if (failed.getAndIncrement() == 0) {
                            System.out.printf("fullpath-bench: hops: a task did not complete (HTTP %d): %.300s%n",
                                    r.statusCode(), r.body());
                        }
                        continue;
                    }
                    Map<String, Long> at = new HashMap<>();
                    at.put("send", sent);
                    at.put("reply", reply);
                    at.put("marker:" + marker, 0L);
                    out.add(new Task(task.path("id").asText(), level, at));
                }
                return null;
            }));
        }
        try {
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("hops: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        if (failed.get() > 0) {
            System.out.printf("fullpath-bench: hops: %d of %d tasks at c=%d did not complete%n", failed.get(), count,
                    Math.abs(level));
        }
        return label < 0 ? List.of() : List.copyOf(out);
    }

    /** Adds the records' timestamps, the intake's lines and the model's calls to each task. */
    private void join(List<Task> tasks, String bootstrap, Path agentLog, Path gatewayLog) {
        Map<String, Task> byId = new HashMap<>();
        for (Task t : tasks) {
            byId.put(t.taskId(), t);
            t.at().keySet().stream().filter(k -> k.startsWith("marker:")).findFirst().ifPresent(k -> {
                Long m = modelAt.get(k.substring("marker:".length()));
                if (m != null) {
                    t.at().put("model", m);
                }
            });
            t.at().keySet().removeIf(k -> k.startsWith("marker:"));
        }
        read(bootstrap, Topics.TASKS_EVENTS, (r, v) -> {
            Task t = byId.get(r.key());
            if (t == null) {
                return;
            }
            String type = v.path("type").asText();
            String state = v.path("status").path("state").asText("").toUpperCase();
            if (type.equals("status_changed") && state.endsWith("SUBMITTED")) {
                t.at().putIfAbsent("submitted", r.timestamp());
            } else if (type.equals("status_changed") && state.endsWith("WORKING")) {
                t.at().putIfAbsent("working", r.timestamp());
            } else if (type.equals("artifact_added")) {
                t.at().putIfAbsent("chunk", r.timestamp());
            } else if (type.equals("status_changed") && state.endsWith("COMPLETED")) {
                t.at().putIfAbsent("completed", r.timestamp());
            }
        });
        read(bootstrap, Topics.TASKS_REQUESTED, (r, v) -> {
            Task t = byId.get(v.path("taskId").asText());
            if (t != null) {
                t.at().putIfAbsent("requested", r.timestamp());
            }
        });
        try {
            for (String line : Files.readAllLines(agentLog)) {
                Matcher m = DISPATCH.matcher(line);
                if (m.find() && byId.containsKey(m.group(1))) {
                    Task t = byId.get(m.group(1));
                    Long requested = t.at().get("requested");
                    long dispatched = Long.parseLong(m.group(4));
                    t.at().put("dispatched", dispatched);
                    t.at().put("fetched", dispatched - Long.parseLong(m.group(3)));
                    if (requested == null) {
                        t.at().remove("fetched");
                    }
                }
            }
            // the reader's line is relative to the event's own time (its maker's clock, as the record's)
            for (String line : Files.readAllLines(gatewayLog)) {
                Matcher m = FOLDED.matcher(line);
                if (m.find() && byId.containsKey(m.group(1)) && byId.get(m.group(1)).at().containsKey("completed")) {
                    Task t = byId.get(m.group(1));
                    long made = t.at().get("completed");
                    t.at().put("gwpolled", made + Long.parseLong(m.group(3)));
                    t.at().put("gwfolded", made + Long.parseLong(m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("hops: cannot read the services' logs " + agentLog + ", " + gatewayLog, e);
        }
    }

    private interface RecordSink {
        void accept(ConsumerRecord<String, byte[]> record, JsonNode value);
    }

    /** Reads every partition of {@code topic} from the beginning to its current end. */
    private static void read(String bootstrap, String topic, RecordSink sink) {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.forBootstrap(bootstrap).consumer("hops-reader",
                java.util.Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("hops: reading " + topic + " took over 60 s");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode v;
                    try {
                        v = r.value() == null ? JSON.missingNode() : JSON.readTree(r.value());
                    } catch (IOException e) {
                        continue; // not JSON: not one of the records joined here
                    }
                    sink.accept(r, v);
                }
            }
        }
    }

    private static void print(List<Task> tasks) {
        Map<Integer, List<Task>> byLevel = new LinkedHashMap<>();
        tasks.forEach(t -> byLevel.computeIfAbsent(t.level(), k -> new ArrayList<>()).add(t));
        StringBuilder head = new StringBuilder("| hop |");
        StringBuilder rule = new StringBuilder("|---|");
        for (var e : byLevel.entrySet()) {
            head.append(" c=").append(e.getKey()).append(" p50 ms | p90 ms |");
            rule.append("---|---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (String[] hop : HOPS) {
            StringBuilder row = new StringBuilder("| ").append(hop[0]).append(" |");
            for (List<Task> level : byLevel.values()) {
                long[] d = level.stream().filter(t -> t.at().containsKey(hop[1]) && t.at().containsKey(hop[2]))
                        .mapToLong(t -> t.at().get(hop[2]) - t.at().get(hop[1])).sorted().toArray();
                row.append(d.length == 0 ? " - | - |" : String.format(" %d | %d |", pct(d, 50), pct(d, 90)));
            }
            System.out.println(row);
        }
        byLevel.forEach((level, list) -> System.out.printf("fullpath-bench: hops c=%d: %d tasks, %d with every"
                + " timestamp%n", level, list.size(), list.stream().filter(t -> t.at().size() >= 11).count()));
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
