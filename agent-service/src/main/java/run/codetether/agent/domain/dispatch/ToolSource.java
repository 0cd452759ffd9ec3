package run.codetether.agent.domain.dispatch;

import java.util.List;

/**
 * Offers tools to runs, each with the dispatch of its kind: tools-service's tools, the agent's own, loop tools. A new
 * kind of tool (MCP servers, a worker's codebase tools) is a new source; the catalog and the loop stay as they are.
 */
public interface ToolSource {

    /**
     * The tools offered to a run at this depth (0 = a task, 1+ = a sub-agent). A source whose tools depend on the
     * task (per-task MCP servers, a codebase's worker) reads it from {@code run}: its session and persisted progress
     * are loaded when this is asked. Return the same list instance while nothing changed: the loop rebuilds its
     * catalog only when a source's list changes.
     */
    List<OfferedTool> offered(int depth, CallScope run);
}
