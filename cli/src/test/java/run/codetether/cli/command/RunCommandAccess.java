package run.codetether.cli.command;

import java.util.Map;

/** Test access to RunCommand's package-private parsing. */
public final class RunCommandAccess {
    private RunCommandAccess() {}

    public static Map<String, Object> workspace(String repo, String ref, String push) {
        return RunCommand.workspace(repo, ref, push);
    }
}
