package run.codetether.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Plain-text renderings of the gateway's REST answers (models catalog, stats). Pure, for golden tests. */
public final class Tables {
    private Tables() {}

    /** {@code GET /v1/models}, grouped by provider as the original's {@code models} command printed it. */
    public static String models(JsonNode body, String providerFilter, Ansi ansi) {
        Map<String, List<JsonNode>> byProvider = new LinkedHashMap<>();
        for (JsonNode m : body.path("models")) {
            String p = m.path("provider").asText();
            if (providerFilter == null || providerFilter.equals(p)) {
                byProvider.computeIfAbsent(p, k -> new ArrayList<>()).add(m);
            }
        }
        StringBuilder s = new StringBuilder();
        int count = 0;
        for (Map.Entry<String, List<JsonNode>> e : new java.util.TreeMap<>(byProvider).entrySet()) {
            if (!s.isEmpty()) {
                s.append('\n');
            }
            s.append(ansi.accent(ansi.bold(e.getKey()))).append('\n');
            List<JsonNode> models = new ArrayList<>(e.getValue());
            models.sort(java.util.Comparator.comparing(m -> m.path("id").asText()));
            for (JsonNode m : models) {
                count++;
                s.append(String.format("  %-44s %6s ctx %6s out  %-19s%s",
                        (m.path("default").asBoolean() ? "* " : "") + m.path("id").asText(),
                        kilo(m.path("context_window")), kilo(m.path("max_output")), price(m.path("price")),
                        m.path("tool_calls").asBoolean(true) ? "" : "  no tools").stripTrailing()).append('\n');
            }
        }
        s.append('\n').append(ansi.dim(count + " models from " + byProvider.size() + " providers"
                + (body.hasNonNull("catalog_version") ? " (catalog " + body.path("catalog_version").asText() + ")" : "")
                + "; prices in USD per million tokens in/out; * = provider default")).append('\n');
        return s.toString();
    }

    /** {@code $3.00 / $15.00} per million tokens, or {@code unpriced}. */
    public static String price(JsonNode price) {
        if (price == null || !price.isObject()) {
            return "unpriced";
        }
        return "$" + money(price.path("input")) + " / $" + money(price.path("output"));
    }

    public static String kilo(JsonNode n) {
        if (n == null || !n.canConvertToLong() || n.asLong() <= 0) {
            return "-";
        }
        long v = n.asLong();
        return v >= 1_000_000 && v % 1_000_000 == 0 ? v / 1_000_000 + "M" : v >= 1000 ? v / 1000 + "k" : String.valueOf(v);
    }

    private static String money(JsonNode n) {
        double v = n.asDouble();
        return v < 0.1 && v > 0 ? String.format("%.3f", v) : String.format("%.2f", v);
    }

    /**
     * {@code GET /v1/stats}: one row per day, provider and model, then totals. Cached prompt tokens (cache read,
     * cache write) are their own columns, as the usage reports them apart from {@code tokens_in}; a row without them
     * (an older gateway) shows {@code -}.
     */
    public static String stats(JsonNode body, Ansi ansi) {
        StringBuilder s = new StringBuilder();
        Set<String> tenants = new TreeSet<>(body.path("rows").findValuesAsText("tenant"));
        boolean perTenant = tenants.size() > 1; // one tenant (the usual key) needs no column
        String row = (perTenant ? "%-14s " : "%s") + "%-10s  %-14s %-28s %6s %12s %12s %12s %12s %10s";
        s.append(ansi.bold(String.format(row, perTenant ? "tenant" : "", "day", "provider", "model", "tasks",
                "tokens in", "tokens out", "cache read", "cache write", "cost"))).append('\n');
        long tasks = 0;
        long in = 0;
        long out = 0;
        long cacheRead = 0;
        long cacheWrite = 0;
        double cost = 0;
        long unpriced = 0;
        int rows = 0;
        for (JsonNode r : body.path("rows")) {
            rows++;
            tasks += r.path("tasks").asLong();
            in += r.path("tokens_in").asLong();
            out += r.path("tokens_out").asLong();
            cacheRead += r.path("cache_read_tokens").asLong();
            cacheWrite += r.path("cache_write_tokens").asLong();
            unpriced += r.path("unpriced_tasks").asLong();
            JsonNode c = r.get("cost_usd");
            String costText;
            if (c == null || c.isNull()) {
                costText = "unpriced";
            } else {
                cost += c.asDouble();
                costText = String.format("$%.4f", c.asDouble());
            }
            s.append(String.format(row, perTenant ? cut(r.path("tenant").asText(), 14) : "", r.path("day").asText(),
                    cut(r.path("provider").asText(), 14),
                    cut(r.path("model").asText(), 28), r.path("tasks").asLong(), count(r.path("tokens_in")),
                    count(r.path("tokens_out")), count(r.get("cache_read_tokens")), count(r.get("cache_write_tokens")),
                    costText)).append(r.path("unpriced_tasks").asLong() > 0 && c != null && !c.isNull()
                            ? " (+" + r.path("unpriced_tasks").asLong() + " unpriced)" : "").append('\n');
        }
        if (rows == 0) {
            s.append(ansi.dim("no tasks in this period")).append('\n');
            return s.toString();
        }
        s.append(ansi.bold(String.format(row, perTenant ? "total" : "", perTenant ? "" : "total", "", "", tasks, String.format("%,d", in),
                String.format("%,d", out), String.format("%,d", cacheRead), String.format("%,d", cacheWrite),
                String.format("$%.4f", cost)))).append('\n');
        if (unpriced > 0) {
            s.append(ansi.dim(unpriced + " task(s) used unpriced models: their cost is not in the total")).append('\n');
        }
        return s.toString();
    }

    /** A token count with thousands separators, {@code -} when the gateway did not report it. */
    private static String count(JsonNode n) {
        return n == null || n.isNull() || !n.canConvertToLong() ? "-" : String.format("%,d", n.asLong());
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
