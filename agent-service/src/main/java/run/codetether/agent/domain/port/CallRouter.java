package run.codetether.agent.domain.port;

import java.util.List;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;

/** Turns a text-only answer into tool calls (router-service). Any failure: an empty list, never an exception. */
public interface CallRouter {

    List<ToolCall> route(String text, List<ToolSpec> tools);

    CallRouter DISABLED = (text, tools) -> List.of();
}
