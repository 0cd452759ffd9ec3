package run.codetether.cli.tui;

import java.nio.file.Path;
import java.util.List;
import run.codetether.cli.workspace.ChangesApplier;

/**
 * The {@code changes} artifact of a task that worked on the TUI's own checkout, as the chat shows it: the files with
 * their added and deleted lines, and what the user did with it. {@code message} is git's summary once applied, or
 * why it was refused (nothing changed then).
 *
 * @param root the checkout the workspace was sent from (where {@code git apply} runs)
 */
public record ChangeOffer(String taskId, Path root, ChangesApplier.Change change, List<ChangesApplier.FileStat> files,
        State state, String message, boolean diffShown) {
    /** What became of the offer. */
    public enum State { OFFERED, APPLYING, APPLIED, REFUSED, DISCARDED }

    ChangeOffer with(State next, String why) {
        return new ChangeOffer(taskId, root, change, files, next, why, diffShown);
    }

    ChangeOffer toggleDiff() {
        return new ChangeOffer(taskId, root, change, files, state, message, !diffShown);
    }

    boolean open() {
        return state == State.OFFERED || state == State.REFUSED;
    }
}
