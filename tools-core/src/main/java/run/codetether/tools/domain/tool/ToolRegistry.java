package run.codetether.tools.domain.tool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools this service executes, by name and by the original's alias; iteration order is registration order. */
public final class ToolRegistry {

    private final Map<String, Tool> byName = new LinkedHashMap<>();
    private final Map<String, Tool> byAlias = new LinkedHashMap<>();

    public ToolRegistry register(Tool tool) {
        if (byName.putIfAbsent(tool.name(), tool) != null) {
            throw new IllegalStateException("duplicate tool " + tool.name());
        }
        tool.aliases().forEach(a -> byAlias.put(a, tool));
        return this;
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(byName.getOrDefault(name, byAlias.get(name)));
    }

    public List<Tool> all() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }
}
