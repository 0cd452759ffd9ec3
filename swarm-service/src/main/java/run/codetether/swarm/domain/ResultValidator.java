package run.codetether.swarm.domain;

import com.fasterxml.jackson.databind.JsonNode;
import run.codetether.platform.json.Json;

/**
 * Checks a subtask result before the swarm uses it: rules first (the worker reported success, the text is at least
 * {@code minChars} long, it is not a bare refusal), then optionally a model that answers
 * {@code {"valid":bool,"reason":"..."}}. A failing model check counts as a failed validation only when the model
 * says so; a model that cannot be reached fails loudly (the error becomes the reason).
 */
public final class ResultValidator {
    private static final String CHECK_SCHEMA = """
            {"type":"object","required":["valid","reason"],"properties":{"valid":{"type":"boolean"},\
            "reason":{"type":"string"}}}""";

    private final int minChars;
    private final ChatPort llm;

    /** @param llm null to skip the model check */
    public ResultValidator(int minChars, ChatPort llm) {
        this.minChars = minChars;
        this.llm = llm;
    }

    /** Whether {@link #check} may call a model (then the coordinator runs it off its lock). */
    public boolean usesModel() {
        return llm != null;
    }

    public record Verdict(boolean valid, String reason) {
        static Verdict ok() {
            return new Verdict(true, "ok");
        }
    }

    public Verdict check(String provider, String model, String instruction, boolean workerSucceeded, String result) {
        if (!workerSucceeded) {
            return new Verdict(false, "worker reported failure: " + (result == null || result.isBlank() ? "(no message)" : result));
        }
        if (result == null || result.strip().length() < minChars) {
            return new Verdict(false, "result is shorter than " + minChars + " characters");
        }
        if (llm == null) {
            return Verdict.ok();
        }
        String answer;
        try {
            answer = llm.complete(provider, model,
                    "You check whether a sub-agent's result fulfils its instruction. Answer JSON {\"valid\":bool,\"reason\":string}.",
                    "Instruction:\n" + instruction + "\n\nResult:\n" + result, CHECK_SCHEMA);
        } catch (RuntimeException e) {
            return new Verdict(false, "validation model failed: " + e.getMessage());
        }
        try {
            JsonNode node = Json.mapper().readTree(PlanParser.stripFences(answer));
            if (node != null && node.path("valid").isBoolean()) {
                return new Verdict(node.get("valid").asBoolean(), node.path("reason").asText(""));
            }
        } catch (Exception ignored) {
            // falls through to the error below
        }
        return new Verdict(false, "validation model answered no {\"valid\":bool}: " + answer);
    }
}
