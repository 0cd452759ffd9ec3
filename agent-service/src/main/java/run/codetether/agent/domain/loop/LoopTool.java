package run.codetether.agent.domain.loop;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.contracts.events.TaskCommand;

/**
 * An agent-level tool that drives the loop's own machinery (the model, sub-agents, the workspace tools) rather than
 * plain session state: rlm, ralph, prd, swarm. The loop offers its {@link #spec()} (which declares whether it is
 * read-only) beside the tools-service tools, checks the arguments against it, and hands the call here with a
 * {@link LoopAccess} to the running task.
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
     * Runs the call, whose arguments the loop already parsed and checked against {@link #spec()}; the result is what
     * the model reads. Cancellation surfaces as {@link InterruptedException} or the loop's own stop signal from
     * {@link LoopAccess#checkStop()}: let both propagate.
     */
    Result run(ToolInvocation call, LoopAccess loop) throws InterruptedException;

    /**
     * A2A skill: a task whose {@code metadata.skill} is this tool's name comes here before the loop's first model
     * call. A present result is the task's answer (an error result fails the task with its text); empty runs the
     * normal loop. Default: empty.
     */
    default Optional<Result> runSkill(TaskCommand.StartTask start, LoopAccess loop) throws InterruptedException {
        return Optional.empty();
    }

    /**
     * Sees each successful workspace-tool output before the model does and may replace it (rlm routes oversized
     * outputs). Default: unchanged.
     */
    default String filterToolOutput(String tool, JsonNode arguments, String output, LoopAccess loop)
            throws InterruptedException {
        return output;
    }

    record Result(String content, boolean error) {
        public static Result ok(String content) {
            return new Result(content, false);
        }

        public static Result error(String message) {
            return new Result(message, true);
        }
    }
}
