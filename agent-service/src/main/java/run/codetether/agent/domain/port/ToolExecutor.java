package run.codetether.agent.domain.port;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import run.codetether.agent.domain.model.ToolSpec;

/** The sandboxed tools (tools-service). Execute is idempotent by (sessionId, callId). */
public interface ToolExecutor {

    /**
     * @param interrupted the call did not complete and was not run again: tools-service died while it ran (it said so
     *     on the repeat under the same call id, or never came back within the retry time). Not a result of the tool:
     *     it may have done part of its work. {@code ok} is false and {@code error} says what happened.
     */
    record Outcome(boolean ok, String output, String error, boolean replayed, String metadataJson,
            boolean interrupted) {

        /** A completed call, or a failure of the tool itself. */
        public Outcome(boolean ok, String output, String error, boolean replayed, String metadataJson) {
            this(ok, output, error, replayed, metadataJson, false);
        }

        /** A call that did not complete (see {@code interrupted}). */
        public static Outcome interrupted(String why) {
            return new Outcome(false, "", why, false, "", true);
        }
    }

    /**
     * What an edit call would change, without changing it: the diff an approval request shows.
     *
     * @param available false for a tool without a preview (then diff and error are empty)
     * @param error why the edit would fail (its diff is then empty)
     */
    record Preview(boolean available, String diff, String error) {
        public static final Preview NONE = new Preview(false, "", "");
    }

    List<ToolSpec> list();

    /**
     * The preview of a call in the session's workspace as it is now. A tools-service without previews answers
     * {@link Preview#NONE}; a transport failure throws.
     */
    default Preview preview(String sessionId, String toolName, String argumentsJson) throws InterruptedException {
        return Preview.NONE;
    }

    /** Runs one call; a failure of the tool itself is an Outcome with ok=false, a transport failure throws. */
    Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout)
            throws InterruptedException;

    /**
     * As {@link #execute}, and the process output (stdout and stderr of bash) goes to {@code output} while it is
     * produced. The outcome is the same as without streaming.
     */
    default Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout,
            Consumer<String> output) throws InterruptedException {
        return execute(sessionId, callId, toolName, argumentsJson, timeout);
    }
}
