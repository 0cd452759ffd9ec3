package run.codetether.cli.mcp;

import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import run.codetether.cli.ExitCodes;

/** Why the gateway's MCP endpoint could not be used, in one line a user can act on, and the CLI exit code. */
public final class GatewayMcpException extends Exception {
    /** Closed set of failure kinds, each with its documented exit code. */
    public enum Kind {
        UNREACHABLE(ExitCodes.UNREACHABLE),
        REFUSED(ExitCodes.GATEWAY_ERROR),
        NOT_SERVED(ExitCodes.NOT_SERVED),
        GATEWAY_ERROR(ExitCodes.GATEWAY_ERROR);

        public final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    public final Kind kind;

    public GatewayMcpException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** Classifies a failure of the SDK client (it wraps the transport's cause, sometimes several levels deep). */
    static GatewayMcpException of(URI endpoint, Throwable failure) {
        String all = "";
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GatewayMcpException g) {
                return g;
            }
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException) {
                return new GatewayMcpException(Kind.UNREACHABLE, "cannot reach the gateway's MCP endpoint at " + endpoint
                        + " (is it running? ./codetether up; or pass --url)");
            }
            if (t instanceof McpHttpClientTransportAuthorizationException a) {
                return refused(endpoint, a.getResponseInfo() == null ? 401 : a.getResponseInfo().statusCode());
            }
            all += " " + t.getMessage();
        }
        if (all.matches("(?s).*\\b(401|403)\\b.*")) {
            return refused(endpoint, all.contains("403") ? 403 : 401);
        }
        if (all.matches("(?s).*\\b404\\b.*")) {
            return new GatewayMcpException(Kind.NOT_SERVED, "this gateway does not serve MCP at " + endpoint
                    + " (HTTP 404)");
        }
        if (failure instanceof TimeoutException || all.contains("Timeout") || all.contains("timed out")) {
            return new GatewayMcpException(Kind.UNREACHABLE, "the gateway's MCP endpoint at " + endpoint
                    + " did not answer in time");
        }
        String why = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new GatewayMcpException(Kind.GATEWAY_ERROR, "the gateway's MCP endpoint at " + endpoint + " failed: " + why);
    }

    private static GatewayMcpException refused(URI endpoint, int status) {
        return new GatewayMcpException(Kind.REFUSED, "the gateway at " + endpoint + " refused the credentials (HTTP "
                + status + "): pass --api-key KEY or set CODETETHER_API_KEY");
    }
}
