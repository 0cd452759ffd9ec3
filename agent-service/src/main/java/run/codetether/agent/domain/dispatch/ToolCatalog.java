package run.codetether.agent.domain.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;

/**
 * The tools one run offers, by name (the first source to offer a name wins), and the check every call passes before
 * it runs: the tool exists, the arguments are a JSON object, required properties are there and top-level property
 * types match the schema. A failure is the text the {@code invalid} tool answers, in words the model can act on
 * (the original's invalid tool also suggested similar names). Immutable.
 */
public final class ToolCatalog {
    private final Map<String, OfferedTool> byName;
    private final List<ToolSpec> specs;

    public ToolCatalog(List<List<OfferedTool>> sources) {
        Map<String, OfferedTool> m = new LinkedHashMap<>();
        for (List<OfferedTool> source : sources) {
            source.forEach(t -> m.putIfAbsent(t.name(), t));
        }
        this.byName = Collections.unmodifiableMap(m);
        this.specs = m.values().stream().map(OfferedTool::spec).toList();
    }

    /** What the model is offered, in order. */
    public List<ToolSpec> specs() {
        return specs;
    }

    public Optional<OfferedTool> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** False for a tool the catalog does not know: what is unknown is treated as able to change things. */
    public boolean readOnly(String name) {
        OfferedTool t = byName.get(name);
        return t != null && t.readOnly();
    }

    /** The outcome of checking one call. Closed set. */
    public sealed interface Checked {
        record Valid(ToolInvocation invocation) implements Checked {}

        record Invalid(String problem) implements Checked {}
    }

    /** Parses the call's arguments (the only time they are parsed) and checks them against the tool's schema. */
    public Checked check(ToolCall call) {
        OfferedTool tool = byName.get(call.name());
        if (tool == null) {
            return new Checked.Invalid("Tool '" + call.name() + "' not found.\n\n" + suggestions(call.name()));
        }
        JsonNode args;
        try {
            args = ToolInvocation.JSON.readTree(call.argumentsJson());
        } catch (Exception e) {
            return new Checked.Invalid("Arguments of tool '" + call.name() + "' are not valid JSON: "
                    + firstLine(e.getMessage()) + ". Send a JSON object matching the tool's schema.");
        }
        if (!(args instanceof ObjectNode object)) {
            return new Checked.Invalid("Arguments of tool '" + call.name() + "' must be a JSON object.");
        }
        Optional<String> problem = tool.schema().problem(call.name(), object, tool.spec().parametersJsonSchema());
        return problem.<Checked>map(Checked.Invalid::new)
                .orElseGet(() -> new Checked.Valid(new ToolInvocation(call, object, tool)));
    }

    private String suggestions(String name) {
        List<String> similar = new ArrayList<>();
        for (String t : byName.keySet().stream().sorted().toList()) {
            if (!name.isEmpty() && (t.contains(name) || name.contains(t) || levenshtein(t, name) <= 3)
                    && similar.size() < 3) {
                similar.add(t);
            }
        }
        String all = String.join(", ", byName.keySet().stream().sorted().toList());
        return similar.isEmpty() ? "Available tools: " + all
                : "Did you mean: " + String.join(", ", similar) + "?\n\nAll available tools: " + all;
    }

    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
