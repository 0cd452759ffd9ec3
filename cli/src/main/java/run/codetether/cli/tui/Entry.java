package run.codetether.cli.tui;

import run.codetether.cli.turn.Turn;

/** One block of the chat pane. */
public sealed interface Entry {
    /** What the user sent. */
    record User(String text) implements Entry {}

    /** A task of this session, streaming or done. */
    record TaskTurn(Turn turn) implements Entry {}

    /** An agent message from a resumed session's history (Markdown). */
    record AgentText(String text) implements Entry {}

    /** A note from the TUI itself (system) or an error. */
    record Note(String text, boolean error) implements Entry {}

    /** A task's change to the local checkout: offered, then applied, refused or discarded (a new entry each time). */
    record Change(ChangeOffer offer) implements Entry {}
}
