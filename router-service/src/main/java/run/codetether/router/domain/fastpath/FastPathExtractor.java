package run.codetether.router.domain.fastpath;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.platform.json.Json;
import run.codetether.router.domain.ToolCall;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.grammar.CallParser;
import run.codetether.router.domain.grammar.CallParser.ParsedCall;
import run.codetether.router.domain.grammar.Dialect;
import run.codetether.router.domain.grammar.Symbols;
import run.codetether.router.domain.schema.SchemaValidator;

/**
 * Model-free extraction of calls the text already spells out: {@code <tool_call>} blocks, FunctionGemma
 * {@code <start_function_call>} blocks, and JSON objects with {@code name} and {@code arguments} (bare or fenced).
 * Every call found must name an offered tool and satisfy its schema; otherwise the fast path declines as a whole
 * and says why, so the model decides instead.
 */
public final class FastPathExtractor {

    /** What the fast path found: valid calls, or the problems that made it decline (both empty: nothing there). */
    public record Result(List<ToolCall> calls, List<String> problems) {
        public boolean found() {
            return !calls.isEmpty() && problems.isEmpty();
        }
    }

    private static final int MAX_JSON_ATTEMPTS = 256;

    private FastPathExtractor() {}

    public static Result extract(String text, Map<String, ToolSpec> tools) {
        List<String> problems = new ArrayList<>();
        List<ParsedCall> parsed = new ArrayList<>();
        if (text.contains("<tool_call>")) {
            collect(() -> CallParser.parse(text, Dialect.JSON_TOOL_CALL), parsed, problems);
        }
        if (parsed.isEmpty() && problems.isEmpty() && text.contains(Symbols.START_CALL_TEXT)) {
            collect(() -> CallParser.parse(Symbols.fromText(text), Dialect.FUNCTION_GEMMA), parsed, problems);
        }
        if (parsed.isEmpty() && problems.isEmpty()) {
            scanJsonObjects(text, parsed, problems);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (ParsedCall call : parsed) {
            ToolSpec tool = tools.get(call.name());
            if (tool == null) {
                problems.add("call names unknown tool '" + call.name() + "'");
                continue;
            }
            List<String> errors = SchemaValidator.validate(call.arguments(), tool.arguments());
            if (!errors.isEmpty()) {
                problems.add("call to '" + call.name() + "' does not match its schema: " + String.join("; ", errors));
                continue;
            }
            calls.add(new ToolCall(call.name(), Json.write(call.arguments())));
        }
        return new Result(List.copyOf(calls), List.copyOf(problems));
    }

    private interface CallSource {
        List<ParsedCall> read();
    }

    private static void collect(CallSource source, List<ParsedCall> parsed, List<String> problems) {
        try {
            parsed.addAll(source.read());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /** Every JSON object in the text that has a "name" and "arguments"/"parameters" member. */
    private static void scanJsonObjects(String text, List<ParsedCall> parsed, List<String> problems) {
        int from = 0;
        int attempts = 0;
        while (attempts++ < MAX_JSON_ATTEMPTS) {
            int brace = text.indexOf('{', from);
            if (brace < 0) {
                return;
            }
            try (JsonParser parser = Json.mapper().createParser(text.substring(brace))) {
                JsonNode node = Json.mapper().readTree(parser);
                boolean call = node != null && node.isObject() && node.has("name")
                        && (node.has("arguments") || node.has("parameters"));
                if (call) {
                    collect(() -> List.of(CallParser.jsonCall(node)), parsed, problems);
                    from = brace + (int) parser.currentLocation().getCharOffset();
                    continue;
                }
            } catch (IOException | RuntimeException e) {
                // not a JSON object here: try the next brace
            }
            from = brace + 1;
        }
    }
}
