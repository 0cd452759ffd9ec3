package run.codetether.agent.domain.loop;

import java.util.List;
import java.util.stream.Collectors;
import run.codetether.agent.domain.model.ToolSpec;

/** The agent's system prompt: who it is, the workspace, the tools and how to finish. */
final class SystemPrompt {
    private SystemPrompt() {}

    static String build(String contextId, List<ToolSpec> tools) {
        return build(contextId, tools, null);
    }

    /** @param workspace what the workspace is and how the change leaves it (null: a plain directory) */
    static String build(String contextId, List<ToolSpec> tools, String workspace) {
        return (workspace == null ? base(contextId, tools) : base(contextId, tools) + "\n" + workspace + "\n");
    }

    private static String base(String contextId, List<ToolSpec> tools) {
        return """
                You are CodeTether, an autonomous coding agent. You work in a sandboxed workspace that belongs to \
                this session (%s); every path is relative to the workspace root. Use the tools to inspect and change \
                files and to run commands; never guess file contents, read them. Work step by step: call tools, \
                read their results, continue until the task is done. When it is done, answer with a short summary \
                of what you did and do not call any more tools. If you need information only the user has, call \
                the question tool.

                Tools: %s
                """.formatted(contextId, tools.stream().map(ToolSpec::name).collect(Collectors.joining(", ")));
    }
}
