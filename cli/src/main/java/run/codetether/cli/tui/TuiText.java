package run.codetether.cli.tui;

/** How the TUI words ids and failures, the same in the keys' notices, the updates' notes, the views and the actions. */
final class TuiText {
    private TuiText() {
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException) {
            return "cannot reach the gateway";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
