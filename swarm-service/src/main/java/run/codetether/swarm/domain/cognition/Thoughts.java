package run.codetether.swarm.domain.cognition;

import java.util.List;
import java.util.Map;
import run.codetether.contracts.cognition.ThoughtEvent;
import run.codetether.contracts.cognition.ThoughtEventType;

/** Prompts and deterministic fallback texts of the four loop phases, as in the original. */
final class Thoughts {
    private Thoughts() {}

    enum Phase {
        OBSERVE(ThoughtEventType.THOUGHT_GENERATED,
                "Observe current state. Identify 1-3 concrete signals and one uncertainty."),
        REFLECT(ThoughtEventType.HYPOTHESIS_RAISED,
                "Reflect on observed signals. Produce one hypothesis, rationale, and risk note."),
        TEST(ThoughtEventType.CHECK_REQUESTED,
                "Design and evaluate one check. Include expected result and evidence quality."),
        COMPRESS(ThoughtEventType.SNAPSHOT_COMPRESSED,
                "Compress the latest cognition into a short state summary and retained facts.");

        final ThoughtEventType eventType;
        final String instruction;

        Phase(ThoughtEventType eventType, String instruction) {
            this.eventType = eventType;
            this.instruction = instruction;
        }

        String wire() {
            return name().toLowerCase();
        }

        /** Thought 1 observes, 2 reflects, 3 tests, 4 compresses, then again. */
        static Phase of(long thoughtCount) {
            return switch ((int) (thoughtCount % 4)) {
                case 1 -> OBSERVE;
                case 2 -> REFLECT;
                case 3 -> TEST;
                default -> COMPRESS;
            };
        }
    }

    static final String SYSTEM = "You are the internal cognition engine for a persistent autonomous persona. "
            + "Respond with concise plain text only. Do not include markdown, XML, or code fences. "
            + "Focus on reasoning quality, uncertainty, and actionable checks.";

    static String userPrompt(Phase phase, String personaId, String name, String role, String charter, long count,
            List<ThoughtEvent> context) {
        StringBuilder ctx = new StringBuilder();
        if (context.isEmpty()) {
            ctx.append("none");
        }
        for (ThoughtEvent e : context) {
            ctx.append(e.eventType().wire()).append(' ').append(e.timestamp()).append(' ')
                    .append(trim(String.valueOf(e.payload()), 220)).append('\n');
        }
        return "phase: " + phase.wire() + "\npersona_id: " + personaId + "\npersona_name: " + name + "\nrole: " + role
                + "\ncharter: " + charter + "\nthought_count: " + count + "\nrecent_context:\n" + ctx
                + "\n\ninstruction:\n" + phase.instruction;
    }

    static String fallback(Phase phase, String role, String charter, long count, List<ThoughtEvent> context) {
        String summary = contextSummary(context);
        String c = trim(charter, 180);
        String text = switch (phase) {
            case OBSERVE -> "Observation " + count + ": I am monitoring this codebase with a business-first reliability"
                    + " lens. Role: " + role + ". Charter focus: " + c + ". " + summary + " Next focus: identify"
                    + " customer-impacting incidents, degraded flows, and recent operational regressions before they"
                    + " become outages.";
            case REFLECT -> "Reflection " + count + ": Based on current signals, the most plausible risk areas are"
                    + " runtime stability, deployment safety, and dependency/provider availability. " + summary
                    + " Business impact if unresolved: service downtime, SLA breaches, and loss of customer trust."
                    + " Confidence: low-to-medium until additional checks are gathered.";
            case TEST -> "Check plan " + count + ": run targeted verification on service health, recent errors, and"
                    + " change history. " + summary + " Expected evidence: clear pass/fail indicators for each"
                    + " suspected fault domain. Decision rule: escalate immediately on repeated failures in"
                    + " customer-facing paths.";
            case COMPRESS -> "Operational summary " + count + ": system remains under active reliability monitoring"
                    + " with business-priority focus. " + summary + " Immediate next actions: keep triage tight,"
                    + " capture repeatable diagnostics, and convert confirmed findings into concrete remediation"
                    + " steps for engineering and operations.";
        };
        return trim(text, 1_200);
    }

    private static String contextSummary(List<ThoughtEvent> context) {
        if (context.isEmpty()) {
            return "No prior events recorded yet.";
        }
        String error = null;
        String proposal = null;
        String check = null;
        for (int i = context.size() - 1; i >= 0; i--) {
            Map<String, Object> p = context.get(i).payload();
            if (error == null && p.get("error") instanceof String s && !s.isBlank()) {
                error = trim(s, 140);
            }
            if (proposal == null && context.get(i).eventType() == ThoughtEventType.PROPOSAL_CREATED
                    && p.get("title") instanceof String s && !s.isBlank()) {
                proposal = trim(s, 120);
            }
            if (check == null && context.get(i).eventType() == ThoughtEventType.CHECK_RESULT
                    && p.get("result_excerpt") instanceof String s && !s.isBlank()) {
                check = trim(s, 140);
            }
        }
        StringBuilder out = new StringBuilder(context.size() + " recent cognition events are available.");
        if (error != null) {
            out.append(" Latest error signal: ").append(error).append('.');
        }
        if (proposal != null) {
            out.append(" Recent proposal: ").append(proposal).append('.');
        }
        if (check != null) {
            out.append(" Recent check: ").append(check).append('.');
        }
        return out.toString();
    }

    static String trim(String input, int maxChars) {
        if (input == null) {
            return "";
        }
        if (input.codePointCount(0, input.length()) <= maxChars) {
            return input.strip();
        }
        return (input.substring(0, input.offsetByCodePoints(0, maxChars)) + "...").strip();
    }

    static int factCount(String text) {
        long sentences = text.chars().filter(ch -> ch == '.' || ch == '!' || ch == '?').count();
        return (int) Math.max(1, Math.min(12, sentences));
    }

    static String proposalTitle(String thought, long count) {
        String first = thought.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        String compact = trim(String.join(" ", first.strip().split("\\s+")), 72);
        return compact.isEmpty() ? "proposal-" + count : compact;
    }
}
