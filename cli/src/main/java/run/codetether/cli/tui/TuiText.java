package run.codetether.cli.tui;

/** How the TUI words ids and failures, the same in the keys' notices, the updates' notes, the views and the actions. */
final class TuiText {
    private TuiText() {
    }

    /**
     * The id's last 8 characters: the gateway's ids are time-ordered UUIDs (version 7), whose first 8 characters are
     * the same for every task of about a minute; the end is random. {@code /resume} takes it (SessionIndex.find).
     */
    static String shortId(String id) {
        return id.length() > 8 ? id.substring(id.length() - 8) : id;
    }

    static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException) {
            return "cannot reach the gateway";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
