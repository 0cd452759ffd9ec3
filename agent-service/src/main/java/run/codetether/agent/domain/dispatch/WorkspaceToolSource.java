package run.codetether.agent.domain.dispatch;

import java.util.ArrayList;
import java.util.List;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.ToolExecutor;

/**
 * tools-service's tools, as its tool list declares them: a tool that {@code streams} goes through
 * {@link StreamedToolDispatch}, every other through {@link RemoteToolDispatch}. The offered list (schemas read once)
 * is rebuilt only when tools-service's list changes. Thread-safe.
 */
public final class WorkspaceToolSource implements ToolSource {
    private record Snapshot(List<ToolSpec> listed, List<OfferedTool> offered) {}

    private final ToolExecutor tools;
    private final RemoteToolDispatch plain;
    private final StreamedToolDispatch streamed;
    private volatile Snapshot last = new Snapshot(null, List.of());

    public WorkspaceToolSource(ToolExecutor tools, WorkspaceCall workspace) {
        this.tools = tools;
        this.plain = new RemoteToolDispatch(workspace);
        this.streamed = new StreamedToolDispatch(workspace);
    }

    @Override
    public List<OfferedTool> offered(int depth, CallScope run) {
        List<ToolSpec> listed = tools.list();
        Snapshot s = last;
        if (listed == s.listed() || listed.equals(s.listed())) {
            return s.offered();
        }
        List<OfferedTool> offered = new ArrayList<>(listed.size());
        for (ToolSpec spec : listed) {
            offered.add(OfferedTool.of(spec, spec.streams() ? streamed : plain));
        }
        Snapshot next = new Snapshot(listed, List.copyOf(offered));
        last = next;
        return next.offered();
    }
}
