package run.codetether.cli.tui;

import java.nio.file.Path;
import java.util.function.Supplier;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.turn.Turn;

/** Builds the real actions on first use, so the first frame does not wait for the HTTP client's classes. */
final class LazyActions implements TuiActions {
    private final Supplier<TuiActions> factory;
    private TuiActions actions;

    LazyActions(Supplier<TuiActions> factory) {
        this.factory = factory;
    }

    private TuiActions get() {
        if (actions == null) {
            actions = factory.get();
        }
        return actions;
    }

    @Override
    public void send(Outgoing message, Turn turn, Path workspace, String skill) {
        get().send(message, turn, workspace, skill);
    }

    @Override
    public void loadChanges(String taskId, Path root) {
        get().loadChanges(taskId, root);
    }

    @Override
    public void applyChange(ChangeOffer offer, byte[] previous) {
        get().applyChange(offer, previous);
    }

    @Override
    public void cancel(String taskId) {
        get().cancel(taskId);
    }

    @Override
    public void loadModels() {
        get().loadModels();
    }

    @Override
    public void loadSessions() {
        get().loadSessions();
    }

    @Override
    public void loadTranscript(String contextId) {
        get().loadTranscript(contextId);
    }

    @Override
    public void remember(String contextId, String firstText, String model, String taskId) {
        get().remember(contextId, firstText, model, taskId);
    }
}
