package run.codetether.agent.domain.rlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.platform.json.Json;

/**
 * The REPL operations as tool definitions the RLM loop offers the model, with the original v1.0 names, texts and
 * arguments ({@code rlm_head}, {@code rlm_tail}, {@code rlm_grep}, {@code rlm_count}, {@code rlm_slice},
 * {@code rlm_llm_query}, {@code rlm_final}), and their dispatch onto {@link RlmRepl}. Unlike the original, which
 * read missing or mistyped arguments as defaults, a bad argument is an error result the model reads.
 */
final class RlmTools {
    private static final ObjectMapper JSON = Json.mapper();

    static final List<ToolSpec> SPECS = List.of(
            ToolSpec.readOnly("rlm_head", "Return the first N lines of the loaded context.",
                    "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"description\":\"Number of lines from the start (default: 10)\"}},\"required\":[]}"),
            ToolSpec.readOnly("rlm_tail", "Return the last N lines of the loaded context.",
                    "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"description\":\"Number of lines from the end (default: 10)\"}},\"required\":[]}"),
            ToolSpec.readOnly("rlm_grep", "Search the loaded context for lines matching a regex pattern. Returns matching lines with line numbers.",
                    "{\"type\":\"object\",\"properties\":{\"pattern\":{\"type\":\"string\",\"description\":\"Regex pattern to search for\"}},\"required\":[\"pattern\"]}"),
            ToolSpec.readOnly("rlm_count", "Count occurrences of a regex pattern in the loaded context.",
                    "{\"type\":\"object\",\"properties\":{\"pattern\":{\"type\":\"string\",\"description\":\"Regex pattern to count\"}},\"required\":[\"pattern\"]}"),
            ToolSpec.readOnly("rlm_slice", "Return a slice of the context by line range.",
                    "{\"type\":\"object\",\"properties\":{\"start\":{\"type\":\"integer\",\"description\":\"Start line number (0-indexed)\"},"
                            + "\"end\":{\"type\":\"integer\",\"description\":\"End line number (exclusive)\"}},\"required\":[\"start\",\"end\"]}"),
            ToolSpec.readOnly("rlm_llm_query", "Ask a focused sub-question about a portion of the context. Use this for semantic understanding of specific sections.",
                    "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":\"The question to answer about the context\"},"
                            + "\"context_slice\":{\"type\":\"string\",\"description\":\"Optional: specific text slice to analyze (if omitted, uses full context)\"}},\"required\":[\"query\"]}"),
            ToolSpec.readOnly("rlm_final", "Return the final answer to the analysis query. Call this when you have gathered enough information to answer.",
                    "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\",\"description\":\"The complete, detailed answer to the original query\"}},\"required\":[\"answer\"]}"));

    private RlmTools() {}

    /** Runs one structured call against the REPL. */
    static RlmRepl.Output dispatch(String name, String argumentsJson, RlmRepl repl)
            throws InterruptedException, RlmException {
        JsonNode args;
        try {
            args = JSON.readTree(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
        } catch (Exception e) {
            return RlmRepl.Output.error("Error: the arguments of " + name + " are not valid JSON: " + e.getMessage());
        }
        if (!args.isObject()) {
            return RlmRepl.Output.error("Error: the arguments of " + name + " must be a JSON object");
        }
        try {
            return switch (name) {
                case "rlm_head" -> RlmRepl.Output.ok(repl.cut(repl.head(integer(name, args, "n", 10))));
                case "rlm_tail" -> RlmRepl.Output.ok(repl.cut(repl.tail(integer(name, args, "n", 10))));
                case "rlm_grep" -> RlmRepl.Output.ok(repl.cut(repl.grep(text(name, args, "pattern"))));
                case "rlm_count" -> RlmRepl.Output.ok(repl.count(text(name, args, "pattern")));
                case "rlm_slice" -> {
                    int start = integer(name, args, "start", -1);
                    int end = integer(name, args, "end", -1);
                    if (start < 0 || end < 0) {
                        throw new RlmRepl.BadCommand(name + " needs integer 'start' and 'end' (0-based line range, end exclusive)");
                    }
                    if (end < start) {
                        throw new RlmRepl.BadCommand(name + ": end " + end + " is before start " + start);
                    }
                    yield RlmRepl.Output.ok(repl.cut(repl.content().lineRange(start, end)));
                }
                case "rlm_llm_query" -> {
                    String q = text(name, args, "query");
                    JsonNode slice = args.path("context_slice");
                    if (!slice.isMissingNode() && !slice.isNull() && !slice.isTextual()) {
                        throw new RlmRepl.BadCommand(name + ": 'context_slice' must be a string");
                    }
                    String answer = repl.subQuery(q, slice.isTextual() ? slice.asText() : null);
                    yield RlmRepl.Output.ok(repl.cut(answer));
                }
                case "rlm_final" -> RlmRepl.Output.fin(text(name, args, "answer"));
                default -> RlmRepl.Output.error("Unknown tool: " + name + ". The RLM tools are "
                        + String.join(", ", SPECS.stream().map(ToolSpec::name).toList())
                        + "; or write commands in a ``` block:\n" + RlmRepl.HELP);
            };
        } catch (RlmRepl.BadCommand e) {
            return RlmRepl.Output.error("Error: " + e.getMessage());
        }
    }

    private static int integer(String tool, JsonNode args, String field, int dflt) throws RlmRepl.BadCommand {
        JsonNode v = args.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return dflt;
        }
        int n;
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            n = v.asInt();
        } else if (v.isTextual() && v.asText().matches("\\d{1,9}")) {
            n = Integer.parseInt(v.asText());
        } else {
            throw new RlmRepl.BadCommand(tool + ": '" + field + "' must be a non-negative integer, got " + v);
        }
        if (n < 0) {
            throw new RlmRepl.BadCommand(tool + ": '" + field + "' must be a non-negative integer, got " + n);
        }
        return n;
    }

    private static String text(String tool, JsonNode args, String field) throws RlmRepl.BadCommand {
        JsonNode v = args.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new RlmRepl.BadCommand(tool + " needs a non-empty string '" + field + "'");
        }
        return v.asText();
    }
}
