package run.codetether.tools.domain.tool;

import java.util.List;
import run.codetether.tools.domain.ToolResult;

/**
 * One tool the model can call. Names and argument names follow the original agent so prompts carry over.
 * {@link #execute} throws {@link run.codetether.tools.domain.ToolException} for refusals; the executor turns it
 * into a failed {@link ToolResult}.
 */
public interface Tool {

    String name();

    String description();

    /** JSON Schema of the arguments object, as JSON text. */
    String parametersSchema();

    /** Other names the original used for this tool (e.g. {@code read} for {@code read_file}). */
    default List<String> aliases() {
        return List.of();
    }

    /** True when the tool changes files (used by batch to run such calls in order instead of in parallel). */
    default boolean mutates() {
        return false;
    }

    /**
     * Declared in the tool list ({@code ToolSpec.read_only}): running the tool changes nothing, in the workspace or
     * elsewhere, so a client may run it again freely. The agent saves a turn of only such calls without waiting.
     */
    default boolean readOnly() {
        return !mutates();
    }

    /** Declared in the tool list ({@code ToolSpec.streams}): the output is worth streaming while it runs. */
    default boolean streams() {
        return false;
    }

    /**
     * Declared in the tool list ({@code ToolSpec.network}): the tool reaches the network outside the workspace
     * (webfetch, websearch). An access mode that asks before network use asks before it.
     */
    default boolean network() {
        return false;
    }

    ToolResult execute(ToolCall call);
}
