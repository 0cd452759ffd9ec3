package run.codetether.agent.domain.rlm;

import java.util.Locale;

/**
 * Limits and switches of RLM ({@code codetether.agent.rlm.*}). Defaults follow the original's {@code RlmConfig}
 * (mode auto, threshold 0.35, 15 iterations, 50 sub-calls) and its {@code rlm} tool (max_depth 3, 8,000-char
 * sub-call context).
 *
 * @param mode routing of oversized tool outputs when {@code routeToolOutput} is on: auto (over the threshold),
 *     always (every eligible tool), off
 * @param routeToolOutput run oversized workspace-tool outputs through RLM before the model reads them. The
 *     original v1.0 ships the router but its agent loop never calls it, so the default is off
 * @param threshold fraction of the model's context window above which an eligible tool output is routed (auto)
 * @param maxIterations model calls of one RLM analysis (each nested analysis has its own)
 * @param maxSubcalls sub-LLM calls (llm_query, nested analyses) of one RLM run, all depths together
 * @param maxDepth deepest nesting of analyses; the {@code max_depth} argument may lower it, never raise it
 * @param stepOutputChars longest output of one command the model reads (also capped by the context window)
 * @param subcallContextChars longest context a plain sub-LLM call gets; a longer slice is analysed recursively
 * @param maxContentChars most content one RLM run loads
 */
public record RlmSettings(
        Mode mode,
        boolean routeToolOutput,
        double threshold,
        int maxIterations,
        int maxSubcalls,
        int maxDepth,
        int stepOutputChars,
        int subcallContextChars,
        int maxContentChars) {

    public enum Mode {
        AUTO,
        ALWAYS,
        OFF;

        public static Mode parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("codetether.agent.rlm.mode must be auto, always or off, not '" + s + "'");
            }
        }
    }

    public RlmSettings {
        if (maxIterations < 1 || maxSubcalls < 0 || maxDepth < 1 || stepOutputChars < 200 || subcallContextChars < 200
                || maxContentChars < 1 || threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("invalid codetether.agent.rlm settings: max-iterations >= 1, max-subcalls"
                    + " >= 0, max-depth >= 1, step-output-chars and subcall-context-chars >= 200, max-content-chars >= 1,"
                    + " 0 < threshold <= 1");
        }
    }

    public static RlmSettings defaults() {
        return new RlmSettings(Mode.AUTO, false, 0.35, 15, 50, 3, 8_000, 8_000, 20_000_000);
    }

    public RlmSettings withMaxIterations(int n) {
        return new RlmSettings(mode, routeToolOutput, threshold, n, maxSubcalls, maxDepth, stepOutputChars,
                subcallContextChars, maxContentChars);
    }

    public RlmSettings withMaxSubcalls(int n) {
        return new RlmSettings(mode, routeToolOutput, threshold, maxIterations, n, maxDepth, stepOutputChars,
                subcallContextChars, maxContentChars);
    }

    public RlmSettings withRouting(Mode m, boolean route) {
        return new RlmSettings(m, route, threshold, maxIterations, maxSubcalls, maxDepth, stepOutputChars,
                subcallContextChars, maxContentChars);
    }

    public RlmSettings withSubcallContextChars(int n) {
        return new RlmSettings(mode, routeToolOutput, threshold, maxIterations, maxSubcalls, maxDepth, stepOutputChars,
                n, maxContentChars);
    }
}
