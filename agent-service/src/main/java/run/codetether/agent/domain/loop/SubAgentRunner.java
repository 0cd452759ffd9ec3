package run.codetether.agent.domain.loop;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.domain.session.TaskProgress.State;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Usage;

/**
 * A nested loop (the {@code task} tool, and loop tools such as ralph) in a child session
 * {@code <contextId>/task/<key>} working in the parent's workspace, one level deeper (fewer tools). Its tokens and
 * changed files are added to the parent's; its events stay inside the parent. A child session that already ended
 * (a resumed parent) answers from its saved state without running again.
 */
final class SubAgentRunner {
    /** The loop's run of a command, as a sub-agent runs it. */
    @FunctionalInterface
    interface Body {
        void execute(RunContext cx) throws InterruptedException;
    }

    private final Body body;

    SubAgentRunner(Body body) {
        this.body = body;
    }

    LoopAccess.SubAgentResult run(RunContext parent, String key, String prompt) throws InterruptedException {
        String childContext = parent.session.contextId + "/task/" + key;
        String childTask = parent.task.taskId + "/" + key;
        Message msg = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of(prompt)), childContext,
                childTask, null, null, null);
        // a sub-agent works for the same tenant with the same MCP servers as its parent
        Map<String, Object> meta = parent.task.mcpServers == null ? Map.of()
                : Map.of(MetadataKeys.MCP_SERVERS, parent.task.mcpServers);
        TaskCommand.StartTask start = new TaskCommand.StartTask(childTask, childContext, parent.task.tenant, msg,
                parent.task.provider, parent.task.model, null, parent.task.taskId, null, null, meta, null);
        SubAgentEvents sink = new SubAgentEvents(parent.run);
        RunContext child = parent.child(new TaskRun(start), sink, key);
        child.run.bind(Thread.currentThread());
        try {
            body.execute(child);
        } catch (Ended e) {
            // the sub-agent failed and said why in its final status
        }
        TaskProgress done = child.task;
        if (done != null) {
            parent.task.inputTokens += done.inputTokens;
            parent.task.outputTokens += done.outputTokens;
            parent.task.cacheReadTokens += done.cacheReadTokens;
            parent.task.cacheWriteTokens += done.cacheWriteTokens;
            parent.task.costUsd += done.costUsd; // the child's calls were already counted on the tenant's day
            parent.task.changedFiles.addAll(done.changedFiles);
        }
        Usage spent = done == null ? null : parent.parts.ledger().usage(child);
        if (done == null || done.state != State.COMPLETED) {
            return new LoopAccess.SubAgentResult(false, sink.lastMessage == null ? "no answer" : sink.lastMessage,
                    spent);
        }
        return new LoopAccess.SubAgentResult(true, done.finalText, spent);
    }

    /** Events of a sub-agent stay inside the parent: only its last message is kept for the parent's result. */
    private static final class SubAgentEvents implements EventPublisher {
        private final TaskRun parent;
        volatile String lastMessage;

        SubAgentEvents(TaskRun parent) {
            this.parent = parent;
        }

        @Override
        public void publish(TaskEvent event) {
            if (parent.canceled() || parent.abandoned()) {
                throw new TaskRun.Stop();
            }
            if (event instanceof TaskEvent.StatusChanged s && s.status().message() != null) {
                lastMessage = s.status().message().text();
            }
        }
    }
}
