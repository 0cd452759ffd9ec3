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

    ToolResult execute(ToolCall call);
}
