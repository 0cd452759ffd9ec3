package run.codetether.agent.infra.llm;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.agent.domain.model.ToolSpec;

/**
 * The offered tools as LangChain4j's {@link ToolSpecification}s, converted once per distinct tool instead of once
 * per model call: the conversion parses each tool's JSON Schema text into LangChain4j's schema model, and a run
 * offers the same catalog (tools-service's and the agent's tools, ~20 schemas) on every call. A JFR profile of the
 * full path put that parsing at 6 % of the agent's CPU per trivial task (issue 18). Keyed by the whole
 * {@link ToolSpec} (name, description, schema text), so a tool whose schema changes is converted again.
 * {@link ToolSpecification} is immutable, so one instance serves every call; its description is an instance of its
 * own, by which the request encoding finds the spec's tool JSON ({@link ToolJsonOnce}). Thread-safe.
 */
final class ToolSpecifications {
    /**
     * Distinct tools kept. Catalogs are few (tools-service's, the agent's, each MCP server's); past this many
     * (MCP servers whose tools keep changing) the cache starts over rather than grow.
     */
    static final int MAX_TOOLS = 4_096;

    private final Map<ToolSpec, ToolSpecification> converted = new ConcurrentHashMap<>();

    List<ToolSpecification> of(List<ToolSpec> tools) {
        List<ToolSpecification> out = new ArrayList<>(tools.size());
        for (ToolSpec t : tools) {
            ToolSpecification s = converted.get(t);
            if (s == null) {
                s = convert(t);
                if (converted.size() >= MAX_TOOLS) {
                    converted.clear();
                }
                converted.put(t, s);
            }
            out.add(s);
        }
        return out;
    }

    /** Tools held, for tests. */
    int size() {
        return converted.size();
    }

    private static ToolSpecification convert(ToolSpec t) {
        return ToolSpecification.builder().name(t.name())
                .description(ToolJsonOnce.ownDescription(t.description() == null ? "" : t.description()))
                .parameters(JsonSchemas.objectSchema(t.parametersJsonSchema())).build();
    }
}
