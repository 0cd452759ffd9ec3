package run.codetether.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;

/** The picocli tree's failure handler: {@link FailureReport}'s one line on stderr and exit code. */
final class Failures implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        CodetetherCli root = (CodetetherCli) parsed.commandSpec().root().userObject();
        return FailureReport.report(e, cmd.getErr(), root::gatewayUrl);
    }
}
