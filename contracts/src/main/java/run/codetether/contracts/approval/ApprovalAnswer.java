package run.codetether.contracts.approval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;

/**
 * The client's answer to an {@link ApprovalRequest}, from a follow-up message on the same task: a DataPart
 * {@code {"approval": {"call_id", "decision": "approve" | "deny" | "approve_all"}}}, or a plain text reply
 * {@code approve}, {@code deny}, {@code approve all}.
 *
 * @param callId the call the answer is about, or null (a text reply answers the open request)
 * @param note the client's words when the text was anything else: it is read as a denial, and the model reads the
 *     words (the safe side: only an explicit approval runs a call)
 */
public record ApprovalAnswer(String callId, Decision decision, String note) {
    public static final String CALL_ID = "call_id";
    public static final String DECISION = "decision";

    /** Closed set. */
    public enum Decision {
        APPROVE("approve"),
        DENY("deny"),
        /** Approve this call and every later one of the same task. */
        APPROVE_ALL("approve_all");

        private final String wire;

        Decision(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** {@code approve | deny | approve_all}; also {@code approve all}, {@code approve-all}, yes/no (any case). */
        public static Optional<Decision> parse(String s) {
            if (s == null) {
                return Optional.empty();
            }
            String t = s.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_").replaceAll("[.!]+$", "");
            return Optional.ofNullable(switch (t) {
                case "approve", "approved", "yes", "y", "ok" -> APPROVE;
                case "deny", "denied", "no", "n", "reject" -> DENY;
                case "approve_all", "approveall", "always", "all" -> APPROVE_ALL;
                default -> null;
            });
        }
    }

    public ApprovalAnswer {
        if (decision == null) {
            throw new IllegalArgumentException("an approval answer needs a decision");
        }
    }

    /** The DataPart's data a client sends: {@code {"approval": {"call_id", "decision"}}}. */
    public Map<String, Object> toData() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(CALL_ID, callId);
        body.put(DECISION, decision.wire());
        return Map.of(MetadataKeys.APPROVAL, body);
    }

    /**
     * The answer a message carries: the first {@code approval} DataPart with a known decision, else its text. An
     * empty message has none.
     */
    public static Optional<ApprovalAnswer> of(Message message) {
        for (Part p : message.parts()) {
            if (p instanceof Part.Data d && d.data() instanceof Map<?, ?> m
                    && m.get(MetadataKeys.APPROVAL) instanceof Map<?, ?> body) {
                Object decision = body.get(DECISION);
                Optional<Decision> parsed = decision instanceof String s ? Decision.parse(s) : Optional.empty();
                if (parsed.isPresent()) {
                    return Optional.of(new ApprovalAnswer(body.get(CALL_ID) instanceof String id ? id : null,
                            parsed.get(), null));
                }
            }
        }
        String text = message.text().strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Decision.parse(text).map(d -> new ApprovalAnswer(null, d, null))
                .orElseGet(() -> new ApprovalAnswer(null, Decision.DENY, text)));
    }
}
