package run.codetether.gateway.domain.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The capacity figures of the dashboard, from the latest scrape of each service (and the one before it, for
 * rates). Each figure names the service and metric it comes from; a figure whose metric no service exports is
 * listed with {@code exported=false} and a note, so the page labels it instead of drawing a zero.
 */
public final class PlatformFigures {
    private PlatformFigures() {}

    /**
     * @param unit {@code /s}, {@code s}, {@code bytes}, {@code USD/h} or {@code records}
     */
    public record Figure(String key, String label, String service, Double value, String unit, boolean exported,
            String note) {}

    static final String MODEL_CALL = "codetether_agent_model_call_seconds";
    static final String TOOL_CALL_SERVER = "grpc_server_processing_duration_seconds";
    static final String TOOL_CALL_CLIENT = "grpc_client_processing_duration_seconds";
    static final String ROUTER_ROUTE = "codetether_router_route_duration_seconds";
    static final String SANDBOX_COMMANDS = "codetether_tools_sandbox_commands_seconds";
    static final String ADMISSION_REJECTED = "codetether_gateway_admission_rejected_total";

    /**
     * @param previous scrape before the current one, per service name (missing: first scrape)
     * @param seconds time between the two scrapes, per service
     * @param lagTotal summed consumer lag, or null when Kafka could not be asked
     */
    public static List<Figure> of(Map<String, PromSamples> previous, Map<String, PromSamples> current,
            Map<String, Double> seconds, TaskBoard.Stats board, Long lagTotal) {
        List<Figure> out = new ArrayList<>();
        String counted = countedNote(board);
        boolean paused = board.pausedAt() != null;
        out.add(new Figure("tasks_started_per_second", "tasks started/s", "gateway (events)",
                paused ? null : board.startedPerSecond(), "/s", true, counted));
        out.add(new Figure("tasks_finished_per_second", "tasks finished/s", "gateway (events)",
                paused ? null : board.finishedPerSecond(), "/s", true, counted));
        out.add(new Figure("tasks_active", "tasks active", "gateway (events)", (double) board.active(), "", true, null));
        out.add(new Figure("kafka_lag_total", "Kafka consumer lag", "kafka", lagTotal == null ? null : lagTotal.doubleValue(),
                "records", lagTotal != null, lagTotal == null ? "Kafka did not answer" : "all groups and topics"));
        latency(out, "model_call", "model call", "agent", previous, current, seconds, MODEL_CALL, l -> true);
        toolCalls(out, previous, current, seconds);
        latency(out, "router_route", "router route", "router", previous, current, seconds, ROUTER_ROUTE, l -> true);
        out.add(rate("router_routed_per_second", "router answers turned into tool calls/s", "router", previous,
                current, seconds, "codetether_router_routes_total", l -> "true".equals(l.get("routed"))));
        out.add(rate("agent_tasks_per_second", "agent tasks finished/s", "agent", previous, current, seconds,
                "codetether_agent_tasks_total", l -> true));
        out.add(rate("tokens_per_second", "tokens/s", "agent", previous, current, seconds,
                "codetether_agent_tokens_total", l -> true));
        Figure cost = rate("cost_usd_per_hour", "cost USD/h", "agent", previous, current, seconds,
                "codetether_agent_cost_usd_total", l -> true);
        out.add(new Figure(cost.key(), cost.label(), cost.service(), cost.value() == null ? null : cost.value() * 3600,
                "USD/h", cost.exported(), cost.note()));
        latency(out, "sandbox_command", "sandbox command", "tools", previous, current, seconds, SANDBOX_COMMANDS,
                l -> true);
        out.add(gauge("sandbox_active", "sandboxes running", "tools", current, "codetether_tools_sandbox_active"));
        out.add(rate("admission_rejections", "admission rejections/s", "gateway", previous, current, seconds,
                ADMISSION_REJECTED, l -> true));
        out.add(gauge("tasks_in_flight", "tasks in flight (admission)", "gateway", current,
                "codetether_gateway_tasks_in_flight"));
        for (Map.Entry<String, PromSamples> s : current.entrySet()) {
            if (!s.getValue().named("jvm_memory_used_bytes").isEmpty()) {
                out.add(new Figure("heap_" + s.getKey(), s.getKey() + " heap", s.getKey(),
                        s.getValue().sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area"))), "bytes", true,
                        null));
            }
        }
        return out;
    }

    private static void latency(List<Figure> out, String key, String label, String service,
            Map<String, PromSamples> previous, Map<String, PromSamples> current, Map<String, Double> seconds,
            String family, Predicate<Map<String, String>> labels) {
        PromSamples cur = current.get(service);
        MetricsDigest.Latency l = MetricsDigest.latency(previous.get(service), cur, seconds.getOrDefault(service, 0.0),
                family, labels);
        String missing = cur == null ? service + " metrics unavailable" : l.note();
        boolean exported = cur != null && l.exported();
        boolean quantiles = exported && l.p50() != null;
        String qNote = exported && !quantiles ? l.note() : missing;
        out.add(new Figure(key + "_p50", label + " p50", service, l.p50(), "s", quantiles, quantiles ? family : qNote));
        out.add(new Figure(key + "_p99", label + " p99", service, l.p99(), "s", quantiles, quantiles ? family : qNote));
        out.add(new Figure(key + "_mean", label + " mean", service, l.mean(), "s", exported, exported ? family : missing));
        out.add(new Figure(key + "_per_second", label + "s/s", service, l.perSecond(), "/s", exported,
                exported ? family : missing));
    }

    /** Tool calls: tools-service's gRPC server timer of Execute, else the agent's gRPC client timer of it. */
    private static void toolCalls(List<Figure> out, Map<String, PromSamples> previous, Map<String, PromSamples> current,
            Map<String, Double> seconds) {
        Predicate<Map<String, String>> execute = l -> String.valueOf(l.get("method")).toLowerCase().contains("execute");
        PromSamples tools = current.get("tools");
        if (tools != null && !tools.named(TOOL_CALL_SERVER + "_count").isEmpty()) {
            latency(out, "tool_call", "tool call", "tools", previous, current, seconds, TOOL_CALL_SERVER, execute);
        } else {
            latency(out, "tool_call", "tool call", "agent", previous, current, seconds, TOOL_CALL_CLIENT, execute);
        }
    }

    /**
     * What the board's rates cover: nothing while the dashboard feed is paused (nobody watched; issue 18), only the
     * time since it caught up when that is within the rates' 10 s.
     */
    static String countedNote(TaskBoard.Stats board) {
        if (board.pausedAt() != null) {
            return "not counted: the dashboard feed is paused since " + board.pausedAt()
                    + " (nobody watched this replica's dashboard)";
        }
        Instant resumed = board.resumedAt();
        if (resumed != null && board.at() != null && resumed.isAfter(board.at().minusSeconds(10))) {
            return "from the task events this replica folds, since " + resumed
                    + " (the dashboard feed was paused before: nobody watched)";
        }
        return "from the task events this replica folds, last 10 s";
    }

    private static Figure rate(String key, String label, String service, Map<String, PromSamples> previous,
            Map<String, PromSamples> current, Map<String, Double> seconds, String name,
            Predicate<Map<String, String>> labels) {
        PromSamples cur = current.get(service);
        if (cur == null) {
            return new Figure(key, label, service, null, "/s", false, service + " metrics unavailable");
        }
        if (cur.named(name).isEmpty()) {
            return new Figure(key, label, service, null, "/s", false, name + " is not exported yet");
        }
        Double r = MetricsDigest.rate(previous.get(service), cur, seconds.getOrDefault(service, 0.0), name, labels);
        return new Figure(key, label, service, r, "/s", true, r == null ? "needs a second scrape" : name);
    }

    /** A gauge of one service, summed over its labels. */
    private static Figure gauge(String key, String label, String service, Map<String, PromSamples> current,
            String name) {
        PromSamples cur = current.get(service);
        if (cur == null) {
            return new Figure(key, label, service, null, "", false, service + " metrics unavailable");
        }
        if (cur.named(name).isEmpty()) {
            return new Figure(key, label, service, null, "", false, name + " is not exported yet");
        }
        return new Figure(key, label, service, cur.sum(name), "", true, name);
    }
}
