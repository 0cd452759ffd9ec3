package run.codetether.cli;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.Supplier;
import run.codetether.cli.a2a.A2aClient;

/**
 * Every failure of a command becomes one clear line on stderr and a documented exit code; no stack traces. Without
 * picocli types, so that {@link run.codetether.cli.command.RunFastPath} reports exactly as the picocli tree's
 * {@link Failures} does.
 */
public final class FailureReport {
    private FailureReport() {}

    /** Writes the line for {@code e} to {@code err} and answers the exit code; the URL is resolved only when named. */
    public static int report(Exception e, PrintWriter err, Supplier<String> gatewayUrl) {
        return switch (e) {
            case A2aClient.NotServedException n -> {
                err.println("codetether: " + n.getMessage());
                yield ExitCodes.NOT_SERVED;
            }
            case A2aClient.A2aException a2a -> {
                err.println("codetether: the gateway refused the request: error " + a2a.code + ": "
                        + a2a.getMessage() + (a2a.data != null && !a2a.data.isNull() ? " " + a2a.data : ""));
                yield ExitCodes.GATEWAY_ERROR;
            }
            case A2aClient.GatewayException g -> {
                err.println("codetether: " + g.getMessage());
                yield ExitCodes.GATEWAY_ERROR;
            }
            case ConnectException c -> unreachable(err, gatewayUrl);
            case HttpConnectTimeoutException t -> unreachable(err, gatewayUrl);
            case InterruptedException i -> ExitCodes.INTERRUPTED;
            case IllegalArgumentException bad -> {
                err.println("codetether: " + bad.getMessage());
                yield ExitCodes.USAGE;
            }
            default -> {
                Throwable cause = e.getCause();
                if (cause instanceof UnresolvedAddressException || e instanceof java.io.IOException
                        && e.getCause() instanceof ConnectException) {
                    yield unreachable(err, gatewayUrl);
                }
                err.println("codetether: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                yield ExitCodes.TASK_FAILED;
            }
        };
    }

    private static int unreachable(PrintWriter err, Supplier<String> gatewayUrl) {
        err.println("codetether: cannot reach the gateway at " + gatewayUrl.get()
                + " (is it running? ./codetether up; or pass --url)");
        return ExitCodes.UNREACHABLE;
    }
}
