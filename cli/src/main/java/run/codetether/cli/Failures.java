package run.codetether.cli;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import run.codetether.cli.a2a.A2aClient;

/** Every failure becomes one clear line on stderr and a documented exit code; no stack traces. */
final class Failures implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        CodetetherCli root = (CodetetherCli) parsed.commandSpec().root().userObject();
        return switch (e) {
            case A2aClient.NotServedException n -> {
                cmd.getErr().println("codetether: " + n.getMessage());
                yield ExitCodes.NOT_SERVED;
            }
            case A2aClient.A2aException a2a -> {
                cmd.getErr().println("codetether: the gateway refused the request: error " + a2a.code + ": "
                        + a2a.getMessage() + (a2a.data != null && !a2a.data.isNull() ? " " + a2a.data : ""));
                yield ExitCodes.GATEWAY_ERROR;
            }
            case A2aClient.GatewayException g -> {
                cmd.getErr().println("codetether: " + g.getMessage());
                yield ExitCodes.GATEWAY_ERROR;
            }
            case ConnectException c -> unreachable(cmd, root);
            case HttpConnectTimeoutException t -> unreachable(cmd, root);
            case InterruptedException i -> ExitCodes.INTERRUPTED;
            case IllegalArgumentException bad -> {
                cmd.getErr().println("codetether: " + bad.getMessage());
                yield ExitCodes.USAGE;
            }
            default -> {
                Throwable cause = e.getCause();
                if (cause instanceof UnresolvedAddressException || e instanceof java.io.IOException
                        && e.getCause() instanceof ConnectException) {
                    yield unreachable(cmd, root);
                }
                cmd.getErr().println("codetether: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                yield ExitCodes.TASK_FAILED;
            }
        };
    }

    private static int unreachable(CommandLine cmd, CodetetherCli root) {
        cmd.getErr().println("codetether: cannot reach the gateway at " + root.gatewayUrl()
                + " (is it running? ./codetether up; or pass --url)");
        return ExitCodes.UNREACHABLE;
    }
}
