package run.codetether.swarm.domain.cognition;

/** A cognition request that cannot be done; {@link Kind} decides the HTTP status the gateway answers with. */
public class CognitionException extends RuntimeException {

    public enum Kind {
        /** Unknown persona: 404. */
        NOT_FOUND(404),
        /** Duplicate id or a reaped parent: 409. */
        CONFLICT(409),
        /** Past the spawn depth or branching limit: 422. */
        LIMIT(422),
        /** Cognition is switched off: 503. */
        DISABLED(503);

        public final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }
    }

    private final Kind kind;

    public CognitionException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
