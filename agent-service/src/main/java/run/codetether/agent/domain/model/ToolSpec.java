package run.codetether.agent.domain.model;

/**
 * A tool offered to the model: name, description and the JSON Schema of its arguments object, and two traits the
 * loop acts on, declared by whoever provides the tool (tools-service in its tool list, the agent for its own tools).
 *
 * @param readOnly running it changes nothing outside the agent's own session (no file, no process, no swarm): a
 *     turn of only such calls is saved without waiting, since repeating it after a crash changes nothing
 * @param streams its output is worth streaming to the client while it runs (bash)
 * @param network it reaches the network outside the workspace (webfetch, websearch): an access mode that asks
 *     before network use asks before it even though it changes nothing
 */
public record ToolSpec(String name, String description, String parametersJsonSchema, boolean readOnly,
        boolean streams, boolean network) {

    public ToolSpec(String name, String description, String parametersJsonSchema, boolean readOnly, boolean streams) {
        this(name, description, parametersJsonSchema, readOnly, streams, false);
    }

    /** A tool that changes nothing outside the session. */
    public static ToolSpec readOnly(String name, String description, String parametersJsonSchema) {
        return new ToolSpec(name, description, parametersJsonSchema, true, false);
    }

    /** A tool that may change the workspace or the world. */
    public static ToolSpec mutating(String name, String description, String parametersJsonSchema) {
        return new ToolSpec(name, description, parametersJsonSchema, false, false);
    }
}
