package run.codetether.tools.api;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.ListMcpToolsRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsResponse;
import run.codetether.contracts.tools.v1.McpBinary;
import run.codetether.contracts.tools.v1.McpEmbeddedResource;
import run.codetether.contracts.tools.v1.McpResourceLink;
import run.codetether.contracts.tools.v1.McpServer;
import run.codetether.contracts.tools.v1.McpServerStatus;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.mcp.McpCallResult;
import run.codetether.tools.domain.mcp.McpContent;
import run.codetether.tools.domain.mcp.McpServerSpec;
import run.codetether.tools.domain.mcp.McpService;
import run.codetether.tools.domain.mcp.McpTool;

/**
 * The MCP RPCs' wire mapping: proto server specs to validated domain specs (a bad spec is INVALID_ARGUMENT), results
 * back with binary data decoded from the protocol's base64 to bytes.
 */
final class McpRpc {

    private final McpService service;

    McpRpc(McpService service) {
        this.service = service;
    }

    ListMcpToolsResponse list(ListMcpToolsRequest req) {
        List<McpServerSpec> specs = new ArrayList<>();
        try {
            for (McpServer s : req.getServersList()) {
                specs.add(spec(s));
            }
            McpService.Listing l = service.list(req.getSessionId(), specs, req.getTimeoutMs());
            var b = ListMcpToolsResponse.newBuilder();
            for (McpTool t : l.tools()) {
                var tb = run.codetether.contracts.tools.v1.McpTool.newBuilder().setServer(t.server()).setName(t.name())
                        .setTitle(t.title()).setDescription(t.description()).setInputSchemaJson(t.inputSchemaJson())
                        .setOutputSchemaJson(t.outputSchemaJson());
                if (t.readOnlyHint() != null) {
                    tb.setReadOnlyHint(t.readOnlyHint());
                }
                if (t.destructiveHint() != null) {
                    tb.setDestructiveHint(t.destructiveHint());
                }
                if (t.idempotentHint() != null) {
                    tb.setIdempotentHint(t.idempotentHint());
                }
                if (t.openWorldHint() != null) {
                    tb.setOpenWorldHint(t.openWorldHint());
                }
                b.addTools(tb);
            }
            for (McpService.ServerStatus s : l.servers()) {
                b.addServers(McpServerStatus.newBuilder().setServer(s.server()).setOk(s.ok()).setError(s.error())
                        .setServerInfo(s.serverInfo()).setInstructions(s.instructions()));
            }
            return b.build();
        } catch (ToolException e) {
            throw status(e);
        }
    }

    CallMcpToolResponse call(CallMcpToolRequest req) {
        McpService.Response r;
        try {
            if (!req.hasServer()) {
                throw ToolException.invalid("server is required");
            }
            r = service.call(req.getSessionId(), req.getCallId(), spec(req.getServer()), req.getTool(),
                    req.getArgumentsJson(), req.getTimeoutMs());
        } catch (ToolException e) {
            throw status(e);
        }
        ToolResult t = r.result();
        var b = CallMcpToolResponse.newBuilder().setCallId(req.getCallId()).setOk(t.ok()).setDurationMs(r.durationMs())
                .setReplayed(r.replayed()).setInterrupted(t.interrupted());
        McpCallResult answer = r.answer();
        if (answer == null) {
            return b.setError(t.error()).build();
        }
        b.setToolError(answer.toolError()).setStructuredContentJson(answer.structuredJson());
        for (McpContent c : answer.content()) {
            b.addContent(content(c));
        }
        return b.build();
    }

    static McpServerSpec spec(McpServer s) {
        McpServerSpec.Transport transport = switch (s.getTransportCase()) {
            case STDIO -> {
                var st = s.getStdio();
                List<String> argv = new ArrayList<>();
                argv.add(st.getCommand());
                argv.addAll(st.getArgsList());
                yield new McpServerSpec.Stdio(argv, st.getEnvMap(), st.getSecretEnvList(), st.getAllowedHostsList());
            }
            case HTTP -> {
                URI url = McpServerSpec.parseUrl(s.getName(), s.getHttp().getUrl());
                yield new McpServerSpec.Http(url, s.getHttp().getHeadersMap(), s.getHttp().getSecretHeadersList());
            }
            case TRANSPORT_NOT_SET -> null;
        };
        return new McpServerSpec(s.getName(), transport, s.getSecret());
    }

    private static run.codetether.contracts.tools.v1.McpContent content(McpContent c) {
        var b = run.codetether.contracts.tools.v1.McpContent.newBuilder();
        switch (c) {
            case McpContent.Text t -> b.setText(t.text());
            case McpContent.Image i -> b.setImage(McpBinary.newBuilder().setMimeType(nz(i.mimeType()))
                    .setData(decode(i.base64())));
            case McpContent.Audio a -> b.setAudio(McpBinary.newBuilder().setMimeType(nz(a.mimeType()))
                    .setData(decode(a.base64())));
            case McpContent.Resource r -> {
                var rb = McpEmbeddedResource.newBuilder().setUri(nz(r.uri())).setMimeType(nz(r.mimeType()));
                if (r.text() != null) {
                    rb.setText(r.text());
                } else {
                    rb.setBlob(decode(r.blobBase64()));
                }
                b.setResource(rb);
            }
            case McpContent.ResourceLink l -> b.setResourceLink(McpResourceLink.newBuilder().setUri(nz(l.uri()))
                    .setName(nz(l.name())).setTitle(nz(l.title())).setDescription(nz(l.description()))
                    .setMimeType(nz(l.mimeType())));
        }
        return b.build();
    }

    /** The protocol's base64 as bytes; data that is not base64 is passed on as its UTF-8 text (nothing is lost). */
    private static ByteString decode(String base64) {
        if (base64 == null) {
            return ByteString.EMPTY;
        }
        try {
            return ByteString.copyFrom(Base64.getMimeDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return ByteString.copyFromUtf8(base64);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static RuntimeException status(ToolException e) {
        Status s = switch (e.code()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case DISABLED -> Status.FAILED_PRECONDITION;
            default -> Status.UNAVAILABLE;
        };
        return s.withDescription(e.getMessage()).asRuntimeException();
    }
}
