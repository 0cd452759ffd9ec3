package run.codetether.cli.tui;

import java.nio.file.Path;
import java.util.List;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.session.Transcript;
import run.codetether.cli.turn.Turn;

/**
 * What the TUI asks of the outside world; every call returns at once and answers later on the UI thread through
 * the {@link TuiUpdates} callbacks. {@link GatewayActions} is the real one; tests pass a recording fake.
 */
public interface TuiActions {
    /**
     * Streams a message; events go to {@link TuiUpdates#onEvent}, the end to {@link TuiUpdates#onStreamEnd}.
     * {@code workspace} not null: a new conversation started in that directory, whose git checkout goes with the
     * message as its workspace (as {@code codetether run} sends it; {@link TuiUpdates#onWorkspace} says so) unless
     * {@code skill} works without files or {@code CODETETHER_WORKSPACE=off}.
     */
    void send(Outgoing message, Turn turn, Path workspace, String skill);

    /** The task's {@code changes} artifact, with its files, into {@link TuiUpdates#onChanges}. */
    void loadChanges(String taskId, Path root);

    /**
     * {@code git apply} of an offered change into {@link TuiUpdates#onApplied}; {@code previous}: the diff of
     * this conversation applied before (the new diff includes it), or null.
     */
    void applyChange(ChangeOffer offer, byte[] previous);

    /** CancelTask; a failure into {@link TuiUpdates#onFailure}. */
    void cancel(String taskId);

    /** GET /v1/models into {@link TuiUpdates#onModels}. */
    void loadModels();

    /** The session index of this directory into {@link TuiUpdates#onSessions}. */
    void loadSessions();

    /** A session's history into {@link TuiUpdates#onTranscript}. */
    void loadTranscript(String contextId);

    /** Records a turn of the session in the local index; a failure into {@link TuiUpdates#onFailure}. */
    void remember(String contextId, String firstText, String model, String taskId);

    /** Answer types for the callbacks. */
    record Models(List<TuiState.ModelChoice> models, String problem) {}

    record Sessions(List<SessionIndex.Entry> sessions, String problem) {}

    record Loaded(Transcript transcript, String problem) {}

    /** A task's change: the offer (null when the task changed no file), or why it could not be read. */
    record Changes(String taskId, ChangeOffer offer, String problem) {}

    /** An apply: git's summary, or why nothing was changed. */
    record Applied(String taskId, String summary, String problem) {}
}
