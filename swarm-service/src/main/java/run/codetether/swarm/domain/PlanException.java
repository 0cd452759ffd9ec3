package run.codetether.swarm.domain;

/** A decomposition that cannot run: bad JSON, schema violation, unknown dependency or a cycle. */
public class PlanException extends RuntimeException {
    public PlanException(String message) {
        super(message);
    }

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
