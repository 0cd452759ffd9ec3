package run.codetether.agent.domain.loop;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.dispatch.AgentTools;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.domain.session.TaskProgress.State;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;

/**
 * The first step of a run: loads the session and applies the command to it. A start adds the user's message (and a
 * skill's call); a continue answers the open question. A redelivered command of a task that already ended or waits
 * for input changes nothing in the session; an end or a question that did not go out from this worker is published
 * again ({@link EndResend}).
 */
final class CommandIntake {
    private static final Logger LOG = Logger.getLogger(CommandIntake.class);
    private final RunLedger ledger;
    private final StatusReporter reporter;
    private final SkillTasks skills;

    CommandIntake(RunLedger ledger, StatusReporter reporter, SkillTasks skills) {
        this.ledger = ledger;
        this.reporter = reporter;
        this.skills = skills;
    }

    /** @return true when the task has work to do now */
    boolean accept(RunContext cx) {
        TaskRun run = cx.run;
        long loading = System.nanoTime();
        cx.session = ledger.load(run.contextId()).orElseGet(() -> new Session(run.contextId()));
        if (LOG.isDebugEnabled()) {
            LOG.debugf("task %s: session %s loaded in %d ms", run.taskId(), run.contextId(),
                    (System.nanoTime() - loading) / 1_000_000);
        }
        cx.task = cx.session.task(run.taskId());
        return switch (run.command()) {
            case TaskCommand.StartTask start -> start(cx, start);
            case TaskCommand.ContinueTask cont -> resume(cx, cont);
        };
    }

    private boolean start(RunContext cx, TaskCommand.StartTask start) {
        if (cx.task != null && cx.task.state != State.WORKING) {
            LOG.debugf("task %s is %s; redelivered start", cx.run.taskId(), cx.task.state);
            reporter.redelivered(cx); // its end may not have gone out (issue 19's broker drill)
            return false;
        }
        if (cx.task == null) {
            cx.task = new TaskProgress(cx.run.taskId());
            cx.task.provider = start.provider();
            cx.task.model = start.model();
            cx.task.tenant = start.tenant();
            cx.task.mcpServers = start.message().metadata().containsKey(MetadataKeys.MCP_SERVERS)
                    ? start.message().metadata().get(MetadataKeys.MCP_SERVERS)
                    : start.metadata().get(MetadataKeys.MCP_SERVERS);
            try {
                cx.task.accessMode = Approvals.accessMode(start).wire();
            } catch (IllegalArgumentException e) {
                cx.session.tasks.put(cx.run.taskId(), cx.task);
                reporter.fail(cx, e.getMessage());
                return false;
            }
            cx.recordWhereStarted();
            cx.session.tasks.put(cx.run.taskId(), cx.task);
            // an earlier task of the context may have left calls without results (a question nobody answered)
            OpenCalls.close(cx.session, "Not answered: a new task started in this conversation.");
            cx.session.messages.add(new ChatMessage.User(start.message().text()));
            Optional<ToolCall> call = skills.startingCall(start);
            call.ifPresent(c -> cx.session.messages.add(new ChatMessage.Assistant("", List.of(c))));
            if (call.isPresent()) {
                ledger.save(cx); // a skill's call runs next: its id is durable before it runs, like any call's
            }
            // Else no save here: the session store keeps whole sessions per save (a delta of what changed since the
            // last one), so the next save (the turn's, the workspace's or the end's) carries this start too. A
            // worker that dies first leaves the command uncommitted and its next owner starts the task again,
            // which is what a lost start save led to as well. Sending it cost a trivial task a second session
            // record (issue 18); awaiting it cost a broker round trip before WORKING (issue 19).
        }
        return true;
    }

    private boolean resume(RunContext cx, TaskCommand.ContinueTask cont) {
        if (cx.task == null) {
            reporter.end(cx, TaskState.FAILED, "task " + cx.run.taskId() + " is not known in context "
                    + cx.run.contextId() + "; start a new task instead", Map.of());
            return false;
        }
        cx.continueWhereStarted();
        if (cx.task.state == State.INPUT_REQUIRED && Approvals.alreadyTaken(cx.task, cont.message())) {
            reporter.redelivered(cx); // the question the answer's run left open may not have gone out
            return false;
        }
        if (cx.task.state == State.INPUT_REQUIRED) {
            answered(cx.task);
            Approvals.taken(cx.task, cont.message());
        }
        if (cx.task.state == State.INPUT_REQUIRED && cx.task.pendingApprovalCallId != null) {
            Approvals.decide(cx.task, cont.message());
            cx.task.state = State.WORKING;
            ledger.save(cx);
            return true;
        }
        if (cx.task.state == State.INPUT_REQUIRED) {
            cx.session.messages.add(new ChatMessage.ToolResult(cx.task.pendingQuestionCallId, AgentTools.QUESTION,
                    cont.message().text(), false));
            cx.task.pendingQuestionCallId = null;
            cx.task.state = State.WORKING;
            ledger.save(cx);
            return true;
        }
        if (cx.task.state != State.WORKING) {
            reporter.redelivered(cx); // redelivered after the task ended: its end may not have gone out
            return false;
        }
        return true;
    }

    /** The prompt kept for a re-send ({@link EndResend}) is answered: a later redelivery has nothing to repeat. */
    private static void answered(TaskProgress task) {
        task.pendingText = null;
        task.pendingDetails = null;
        task.pendingApproval = null;
    }
}
