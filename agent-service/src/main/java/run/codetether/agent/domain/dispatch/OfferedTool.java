package run.codetether.agent.domain.dispatch;

import run.codetether.agent.domain.model.ToolSpec;

/** A tool a run offers to the model, with the dispatch that carries out its calls and its schema, read once. */
public record OfferedTool(ToolSpec spec, ToolDispatch dispatch, ToolSchema schema) {

    public static OfferedTool of(ToolSpec spec, ToolDispatch dispatch) {
        return new OfferedTool(spec, dispatch, ToolSchema.parse(spec.parametersJsonSchema()));
    }

    public String name() {
        return spec.name();
    }

    public boolean readOnly() {
        return spec.readOnly();
    }
}
