package run.codetether.cli.tui;

import java.util.List;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.session.Transcript;
import run.codetether.cli.turn.Turn;

/**
 * What the TUI asks of the outside world; every call returns at once and answers later on the UI thread through
 * the {@link TuiController} callbacks. {@link GatewayActions} is the real one; tests pass a recording fake.
 */
public interface TuiActions {
    /** Streams a message; events go to {@link TuiController#onEvent}, the end to {@link TuiController#onStreamEnd}. */
    void send(Outgoing message, Turn turn);

    /** CancelTask. */
    void cancel(String taskId);

    /** GET /v1/models into {@link TuiController#onModels}. */
    void loadModels();

    /** The session index of this directory into {@link TuiController#onSessions}. */
    void loadSessions();

    /** A session's history into {@link TuiController#onTranscript}. */
    void loadTranscript(String contextId);

    /** Records a turn of the session in the local index. */
    void remember(String contextId, String firstText, String model, String taskId);

    /** Answer types for the callbacks. */
    record Models(List<TuiState.ModelChoice> models, String problem) {}

    record Sessions(List<SessionIndex.Entry> sessions, String problem) {}

    record Loaded(Transcript transcript, String problem) {}
}
