package run.codetether.tools.domain.tool;

/**
 * A tool whose change can be shown before it is made: the unified diff an approval request carries. Computing it
 * reads the workspace and changes nothing; a change that would fail throws the same
 * {@link run.codetether.tools.domain.ToolException} the call itself would.
 */
public interface Previewable {

    /** The unified diff of every file the call would change. */
    String preview(ToolCall call);
}
