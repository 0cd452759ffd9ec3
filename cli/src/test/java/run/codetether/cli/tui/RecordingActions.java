package run.codetether.cli.tui;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.turn.Turn;

/** Records what the controller asked for; the test answers through {@link TuiUpdates}. */
final class RecordingActions implements TuiActions {
    final List<JsonNode> sent = new ArrayList<>();
    final List<Turn> turns = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final List<Path> workspaces = new ArrayList<>();
    final List<byte[]> previous = new ArrayList<>();

    @Override
    public void send(Outgoing message, Turn turn, Path workspace, String skill) {
        sent.add(message.params());
        turns.add(turn);
        workspaces.add(workspace);
        calls.add("send");
    }

    @Override
    public void loadChanges(String taskId, Path root) {
        calls.add("changes " + taskId + " " + root);
    }

    @Override
    public void applyChange(ChangeOffer offer, byte[] previous) {
        this.previous.add(previous);
        calls.add("apply " + offer.taskId());
    }

    @Override
    public void cancel(String taskId) {
        calls.add("cancel " + taskId);
    }

    @Override
    public void loadModels() {
        calls.add("models");
    }

    @Override
    public void loadSessions() {
        calls.add("sessions");
    }

    @Override
    public void loadTranscript(String contextId) {
        calls.add("transcript " + contextId);
    }

    @Override
    public void remember(String contextId, String firstText, String model, String taskId) {
        calls.add("remember " + contextId);
    }
}
