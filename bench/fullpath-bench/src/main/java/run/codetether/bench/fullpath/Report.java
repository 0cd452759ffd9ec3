package run.codetether.bench.fullpath;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's output: one line per row as it finishes, then the table, CPU split, goals and the summary line. */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() {}

    static String line(Row r) {
        Wrk.Result w = r.result();
        return String.format(Locale.ROOT, "%-18s %-8s %9.0f/s  p50 %8.2f ms  p99 %8.2f ms  ok %7d  failed %5d"
                + "  socket errors %d  CPU %.3f ms/req  load %.1f -> %.1f%s", r.label(), r.server().name(),
                w.perSecond(), r.p50Ms(), r.p99Ms(), w.completed(), w.failed(), w.socketErrors(),
                r.cpuPerCompleted(), r.loadBefore(), r.loadAfter(),
                w.sampleFailure().isEmpty() ? "" : "\n    first failure: " + w.sampleFailure());
    }

    static void print(Options o, List<Row> rows, List<WarmupRun.Result> warmups, Map<String, Double> idleMsPerS,
            Map<String, Double> idleAfterMsPerS, Map<String, ResidentMemory.Resident> memory, double loadStart,
            double loadEnd, double seconds) {
        System.out.printf(Locale.ROOT, "%nFull path (issue 18): wrk -t%d, %d s per row, %d cores, load average "
                + "%.1f -> %.1f (a shared machine: other builds ran beside it), %.0f s in all%n", o.wrkThreads(),
                o.duration().toSeconds(), Runtime.getRuntime().availableProcessors(), loadStart, loadEnd, seconds);
        System.out.printf("services: the launcher's JVM options %s; gateway rate limit off (wrk is one client)%s%n%n",
                String.join(" ", o.jvmOptions()), (o.serviceEnv().isEmpty() ? "" : "; env " + o.serviceEnv()) + "; work topics with " + o.partitions()
                        + " partition(s)" + (o.brokerSettings().isEmpty() ? "" : "; broker " + o.brokerSettings()));
        for (WarmupRun.Result w : warmups) {
            System.out.println(warmupLine(w));
        }
        System.out.println();
        System.out.println("| Row | gateway (full path) | JS SDK echo agent | ratio gateway/JS |");
        System.out.println("|---|---|---|---|");
        List<Pair> pairs = pairs(rows);
        for (Pair p : pairs) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", p.gw().label(), cell(p.gw()), cell(p.js()),
                    String.format(Locale.ROOT, "%.2fx req/s, %.2fx p50", ratio(p), p.gw().p50Ms() / p.js().p50Ms()));
        }
        System.out.println("\nCPU per completed request, ms (from /proc/<pid>/stat utime+stime+cutime+cstime, during the row;"
                + " of which JIT: its C1/C2 compiler threads alive at the row's end, /proc/<pid>/task/*):");
        for (Row r : rows) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-18s %-8s total %7.3f =", r.label(),
                    r.server().name(), r.cpuPerCompleted()));
            r.cpuMs().forEach((name, ms) -> sb.append(String.format(Locale.ROOT, " %s %.3f", name, r.perCompleted(ms))));
            sb.append(String.format(Locale.ROOT, "   (not counted: scripted model/bench JVM %.3f, wrk %.3f)",
                    r.perCompleted(r.modelMs()), r.perCompleted(r.wrkMs())));
            System.out.println(sb);
            System.out.println(jitLine(r));
        }
        StringBuilder idle = new StringBuilder("\nCPU with no traffic, ms per second (10 s before the rows):");
        idleMsPerS.forEach((name, ms) -> idle.append(String.format(Locale.ROOT, " %s %.1f", name, ms)));
        System.out.println(idle);
        StringBuilder after = new StringBuilder("CPU with no traffic, ms per second (10 s after the rows):");
        idleAfterMsPerS.forEach((name, ms) -> after.append(String.format(Locale.ROOT, " %s %.1f", name, ms)));
        System.out.println(after);
        System.out.println(memoryLine(memory));
        List<Goal> goals = goals(pairs);
        System.out.println("\nIssue-18 goals (2 cores):");
        for (Goal g : goals) {
            System.out.printf(Locale.ROOT, "  %-44s %10.2f  %s%s%n", g.name(), g.value(), g.met() ? "met" : "NOT met",
                    g.note().isEmpty() ? "" : "  (" + g.note() + ")");
        }
        System.out.println("FULLPATH-SUMMARY " + summary(o, rows, warmups, pairs, goals, idleMsPerS, idleAfterMsPerS,
                memory, loadStart, loadEnd));
    }

    static String memoryLine(Map<String, ResidentMemory.Resident> memory) {
        StringBuilder line = new StringBuilder("Resident memory after the rows, MiB (the peak since its start):");
        memory.forEach((name, m) -> line.append(String.format(Locale.ROOT, " %s %.0f (%.0f)", name, m.mib(),
                m.peakMib())));
        return line.toString();
    }

    record Pair(Row gw, Row js) {}

    record Goal(String key, String name, double value, boolean met, String note) {
        Goal(String key, String name, double value, boolean met) {
            this(key, name, value, met, "");
        }
    }

    /** The p50 a closed loop of {@code c} connections cannot beat at a rate (Little's law: mean = c / rate). */
    static double closedLoopMs(int connections, double perSecond) {
        return connections * 1000.0 / perSecond;
    }

    /** The rate a closed loop of {@code c} connections needs for a mean latency of {@code ms}. */
    static double closedLoopRateFor(int connections, double ms) {
        return connections * 1000.0 / ms;
    }

    /** "of which JIT: kafka 0.410 tools 0.000 ... node n/a; the bench JVM's 0.050 (not counted)". */
    static String jitLine(Row r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-18s %-8s   of which JIT:", "", ""));
        int ended = 0;
        for (Map.Entry<String, JitCpu.Jit> e : r.jit().entrySet()) {
            if (e.getKey().equals(Row.MODEL)) {
                continue;
            }
            sb.append(' ').append(e.getKey()).append(' ').append(jitCell(r, e.getValue()));
            ended += e.getValue().ended();
        }
        JitCpu.Jit model = r.jit().get(Row.MODEL);
        if (model != null) {
            sb.append("   (not counted: the bench JVM's ").append(jitCell(r, model)).append(')');
            ended += model.ended();
        }
        if (ended > 0) {
            sb.append(String.format(Locale.ROOT, "; %d compiler thread(s) ended in the row, their CPU not in it",
                    ended));
        }
        return sb.toString();
    }

    private static String jitCell(Row r, JitCpu.Jit j) {
        return j.named() ? String.format(Locale.ROOT, "%.3f", r.perCompleted(j.ms())) : "n/a";
    }

    static String warmupLine(WarmupRun.Result w) {
        String jit = w.last() == null || w.last().jitMs().isEmpty() ? "" : "; JIT share in its last "
                + String.format(Locale.ROOT, "%.0f s: ", w.last().seconds()) + WarmupRule.describe(w.last());
        return String.format(Locale.ROOT, "warm-up %s: %s, %.0f s%s%s", w.server(), w.mode(), w.seconds(),
                w.capped() ? " (HIT THE CAP: not steady)" : "", jit);
    }

    /** Rows in run order are gateway, js, gateway, js, ...: each consecutive two are one table row. */
    private static List<Pair> pairs(List<Row> rows) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            pairs.add(new Pair(rows.get(i), rows.get(i + 1)));
        }
        return pairs;
    }

    private static double ratio(Pair p) {
        return p.gw().result().perSecond() / p.js().result().perSecond();
    }

    private static String cell(Row r) {
        Wrk.Result w = r.result();
        return String.format(Locale.ROOT, "%,.0f/s (p50 %.1f ms, p99 %.1f ms%s)", w.perSecond(), r.p50Ms(), r.p99Ms(),
                w.failed() + w.socketErrors() == 0 ? "" : ", " + (w.failed() + w.socketErrors()) + " failed");
    }

    /** The goals of the rows that ran ({@code --rows} may leave some out). */
    static List<Goal> goals(List<Pair> pairs) {
        List<Goal> goals = new java.util.ArrayList<>();
        // the p50 where a latency goal can hold at >= 1,000 tasks/s: below 3,200/s the closed loop of c=64 alone
        // puts the mean above 20 ms (printed with the c=64 line)
        pairs.stream().filter(p -> p.gw().label().equals("SendMessage c=8")).findFirst().ifPresent(p -> goals.add(
                new Goal("p50_ms_c8", "p50 at c=8 <= 20 ms", p.gw().p50Ms(), p.gw().p50Ms() <= 20)));
        java.util.Optional<Pair> send = pairs.stream().filter(p -> p.gw().label().equals("SendMessage c=64"))
                .findFirst();
        send.ifPresent(p -> {
            Row c64 = p.gw();
            goals.add(new Goal("tasks_per_s_c64", "tasks/s at c=64 >= 1000", c64.result().perSecond(),
                    c64.result().perSecond() >= 1000));
            goals.add(new Goal("p50_ms_c64", "p50 at c=64 <= 20 ms", c64.p50Ms(), c64.p50Ms() <= 20,
                    String.format(Locale.ROOT, "closed loop: 64 / %.0f tasks/s = %.1f ms mean; 20 ms needs >= %,.0f"
                            + " tasks/s", c64.result().perSecond(), closedLoopMs(64, c64.result().perSecond()),
                            closedLoopRateFor(64, 20))));
            goals.add(new Goal("cpu_ms_per_task_c64", "CPU per task (all processes) <= 2 ms", c64.cpuPerCompleted(),
                    c64.cpuPerCompleted() <= 2));
        });
        pairs.stream().filter(p -> p.gw().label().equals("GetTask c=64")).findFirst().ifPresent(p -> goals.add(
                new Goal("gettask_ratio", "GetTask req/s >= 3x JS SDK", ratio(p), ratio(p) >= 3)));
        pairs.stream().filter(p -> p.gw().label().equals("agent card c=64")).findFirst().ifPresent(p -> goals.add(
                new Goal("card_ratio", "agent card req/s >= 3x JS SDK", ratio(p), ratio(p) >= 3)));
        return goals;
    }

    private static String summary(Options o, List<Row> rows, List<WarmupRun.Result> warmups, List<Pair> pairs,
            List<Goal> goals, Map<String, Double> idleMsPerS, Map<String, Double> idleAfterMsPerS,
            Map<String, ResidentMemory.Resident> memory, double loadStart, double loadEnd) {
        ObjectNode s = JSON.createObjectNode().put("bench", "fullpath").put("time", Instant.now().toString())
                .put("cores", Runtime.getRuntime().availableProcessors()).put("load_start", loadStart)
                .put("load_end", loadEnd).put("seconds_per_row", o.duration().toSeconds())
                .put("jvm_options", String.join(" ", o.jvmOptions()));
        if (!o.brokerSettings().isEmpty()) {
            ObjectNode broker = s.putObject("broker_settings");
            o.brokerSettings().forEach(broker::put);
        }
        ArrayNode out = s.putArray("rows");
        for (Row r : rows) {
            Wrk.Result w = r.result();
            ObjectNode j = out.addObject().put("row", r.label()).put("server", r.server().name())
                    .put("per_s", round(w.perSecond())).put("p50_ms", round(r.p50Ms())).put("p99_ms", round(r.p99Ms()))
                    .put("completed", w.completed()).put("failed", w.failed() + w.socketErrors())
                    .put("cpu_ms_per_req", round(r.cpuPerCompleted()))
                    .put("model_cpu_ms_per_req", round(r.perCompleted(r.modelMs())))
                    .put("wrk_cpu_ms_per_req", round(r.perCompleted(r.wrkMs())));
            ObjectNode split = j.putObject("cpu_ms_per_req_by_process");
            for (Map.Entry<String, Double> e : r.cpuMs().entrySet()) {
                split.put(e.getKey(), round(r.perCompleted(e.getValue())));
            }
            ObjectNode jit = j.putObject("jit_cpu_ms_per_req_by_process");
            int ended = 0;
            for (Map.Entry<String, JitCpu.Jit> e : r.jit().entrySet()) {
                ended += e.getValue().ended();
                if (e.getKey().equals(Row.MODEL)) {
                    continue;
                }
                if (e.getValue().named()) {
                    jit.put(e.getKey(), round(r.perCompleted(e.getValue().ms())));
                } else {
                    jit.putNull(e.getKey()); // node: no compiler threads to read
                }
            }
            JitCpu.Jit model = r.jit().get(Row.MODEL);
            if (model != null && model.named()) {
                j.put("model_jit_cpu_ms_per_req", round(r.perCompleted(model.ms())));
            }
            j.put("jit_compiler_threads_ended", ended);
        }
        ArrayNode warm = s.putArray("warmup");
        for (WarmupRun.Result w : warmups) {
            ObjectNode one = warm.addObject().put("server", w.server()).put("mode", w.mode())
                    .put("seconds", round(w.seconds())).put("capped", w.capped());
            if (w.last() != null && !w.last().jitMs().isEmpty()) {
                ObjectNode share = one.putObject("jit_share_last_window");
                WarmupRule.shares(w.last()).forEach((name, v) -> share.put(name, round(v)));
            }
        }
        ObjectNode idle = s.putObject("idle_cpu_ms_per_s");
        idleMsPerS.forEach((name, ms) -> idle.put(name, round(ms)));
        ObjectNode idleAfter = s.putObject("idle_after_rows_cpu_ms_per_s");
        idleAfterMsPerS.forEach((name, ms) -> idleAfter.put(name, round(ms)));
        ObjectNode resident = s.putObject("resident_mib_by_process");
        memory.forEach((name, m) -> resident.putObject(name).put("now", round(m.mib())).put("peak", round(m.peakMib())));
        ObjectNode ratios = s.putObject("ratio_gateway_over_js");
        for (Pair p : pairs) {
            ratios.putObject(p.gw().label()).put("per_s", round(ratio(p)))
                    .put("p50", round(p.gw().p50Ms() / p.js().p50Ms()));
        }
        ObjectNode g = s.putObject("goals");
        for (Goal goal : goals) {
            ObjectNode one = g.putObject(goal.key()).put("value", round(goal.value())).put("met", goal.met());
            if (goal.key().equals("p50_ms_c64")) {
                Row c64 = rows.stream().filter(r -> r.label().equals("SendMessage c=64")).findFirst().orElseThrow();
                one.put("closed_loop_ms", round(closedLoopMs(64, c64.result().perSecond())))
                        .put("per_s_needed", round(closedLoopRateFor(64, 20)));
            }
        }
        return s.toString();
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : -1;
    }
}
