package run.codetether.agent.domain.loop;

import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;

/**
 * An agent-level tool that drives the loop's own machinery (the model, sub-agents, the workspace tools) rather than
 * plain session state: rlm, ralph, prd, swarm. The loop offers its {@link #spec()} beside the tools-service tools,
 * validates the arguments against it, and hands the call here with a {@link LoopAccess} to the running task.
 */
public interface LoopTool {

    ToolSpec spec();

    /** Sub-agents (the {@code task} tool, ralph iterations) see this tool only when true: no unbounded recursion. */
    default boolean offeredToSubAgents() {
        return false;
    }

    /**
     * An A2A task whose {@code metadata.skill} is {@code skill} runs this tool directly with the returned arguments
     * (no model call picks it); its result is the task's answer. Empty: not this tool's skill.
     */
    default Optional<String> skillCall(String skill, String messageText, Map<String, Object> metadata) {
        return Optional.empty();
    }

    /**
     * Runs the call; the result is what the model reads. Cancellation surfaces as {@link InterruptedException} or
     * the loop's own stop signal from {@link LoopAccess#checkStop()}: let both propagate.
     */
    Result run(ToolCall call, LoopAccess loop) throws InterruptedException;

    record Result(String content, boolean error) {
        public static Result ok(String content) {
            return new Result(content, false);
        }

        public static Result error(String message) {
            return new Result(message, true);
        }
    }
}
