package run.codetether.agent.domain.rlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import run.codetether.platform.json.Json;

/**
 * Decides whether a workspace-tool output goes through RLM before the model reads it, as the original's
 * {@code RlmRouter}: only read/glob/grep/bash/search outputs; mode off never, always always; auto when the output's
 * estimate (chars/4) exceeds {@code threshold} of the context window, or when it would push the conversation past
 * 80% of the window. Also builds the per-tool analysis query and the head/tail excerpt used when RLM fails.
 */
final class RlmRouter {
    private static final ObjectMapper JSON = Json.mapper();
    /** The original's eligible tools, with our read tool's name beside its alias. */
    static final Set<String> ELIGIBLE = Set.of("read", "read_file", "glob", "grep", "bash", "search");

    record Decision(boolean route, String reason, long estimatedTokens) {}

    private RlmRouter() {}

    static long estimateTokens(String s) {
        return (s.length() + 3L) / 4;
    }

    static Decision decide(String tool, String output, long contextWindow, long currentTokens, RlmSettings s) {
        long tokens = estimateTokens(output);
        if (s.mode() == RlmSettings.Mode.OFF) {
            return new Decision(false, "rlm_mode_off", tokens);
        }
        if (!ELIGIBLE.contains(tool)) {
            return new Decision(false, "tool_not_eligible", tokens);
        }
        if (s.mode() == RlmSettings.Mode.ALWAYS) {
            return new Decision(true, "rlm_mode_always", tokens);
        }
        if (tokens > (long) (contextWindow * s.threshold())) {
            return new Decision(true, "exceeds_threshold", tokens);
        }
        if (currentTokens + tokens > (long) (contextWindow * 0.8)) {
            return new Decision(true, "would_overflow", tokens);
        }
        return new Decision(false, "within_threshold", tokens);
    }

    /** The original's per-tool question for an automatically routed output. */
    static String query(String tool, JsonNode a) {
        return switch (tool) {
            case "read", "read_file" -> "Summarize the key contents of file \"" + a.path("path").asText(a.path("filePath")
                    .asText("unknown")) + "\". Focus on: structure, main functions/classes, important logic. Be concise.";
            case "bash" -> "Summarize the command output. Extract key information, results, errors, warnings. Be concise.";
            case "grep" -> "Summarize search results for \"" + a.path("pattern").asText("pattern")
                    + "\". Group by file, highlight most relevant matches. Be concise.";
            case "glob" -> "Summarize the file listing. Group by directory, highlight important files. Be concise.";
            default -> "Summarize this output concisely, extracting the most important information.";
        };
    }

    /** Head (60%) and tail (30%) of an output over {@code maxTokens}, with a hint how to analyse it whole. */
    static String smartTruncate(String output, String tool, JsonNode arguments, int maxTokens) {
        long tokens = estimateTokens(output);
        if (tokens <= maxTokens) {
            return output;
        }
        int maxChars = maxTokens * 4;
        String head = output.substring(0, (int) (maxChars * 0.6));
        String tail = output.substring(output.length() - (int) (maxChars * 0.3));
        long omitted = tokens - estimateTokens(head) - estimateTokens(tail);
        String path = arguments.path("path").asText("...");
        String hint = "OUTPUT TOO LARGE (" + tokens + " tokens). Use RLM for full analysis:\n```\nrlm({action: \"analyze\", "
                + ("read".equals(tool) || "read_file".equals(tool) ? "query: \"Analyze this file\", paths: [\"" + path + "\"]"
                        : "query: \"Summarize this output\", content: \"...\"") + "})\n```";
        return head + "\n\n[... " + omitted + " tokens truncated ...]\n\n" + hint + "\n\n" + tail;
    }
}
