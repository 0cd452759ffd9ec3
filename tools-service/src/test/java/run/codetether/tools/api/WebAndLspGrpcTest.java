package run.codetether.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;
import static run.codetether.tools.api.GrpcCalls.json;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * webfetch/websearch refusals (the test profile allow-lists localhost, 127.0.0.1 and .invalid names so that the
 * SSRF layer, not the allowlist, must refuse them) and lsp against a real language server when one is installed.
 */
@QuarkusTest
class WebAndLspGrpcTest {

    @GrpcClient("tools")
    ToolServiceGrpc.ToolServiceBlockingStub stub;

    GrpcCalls c;

    @BeforeEach
    void session() {
        c = new GrpcCalls(stub);
    }

    @Test
    void loopbackTargetsAreRefusedBeforeAnyConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            for (String url : new String[] {"http://127.0.0.1:" + port + "/", "http://localhost:" + port + "/x"}) {
                var r = c.call("webfetch", json("url", url));
                assertFalse(r.getOk(), url);
                assertThat(r.getError()).as(url).startsWith("EGRESS_REFUSED").contains("loopback");
            }
            server.setSoTimeout(200);
            try (Socket s = server.accept()) {
                throw new AssertionError("the policy let a connection through");
            } catch (SocketTimeoutException expected) {
                // nothing connected
            }
        }
    }

    @Test
    void allowlistSchemeAndResolutionAreChecked() {
        assertThat(c.call("webfetch", json("url", "http://not-listed.invalid/")).getError())
                .contains("not on the egress allowlist");
        assertThat(c.call("webfetch", json("url", "http://example.invalid/")).getError()).contains("does not resolve");
        assertThat(c.call("webfetch", json("url", "http://a.allowed.invalid/")).getError()).contains("does not resolve");
        assertThat(c.call("webfetch", json("url", "file:///etc/passwd")).getError()).contains("only http and https");
        assertThat(c.call("webfetch", json("url", "http://user:pw@example.invalid/")).getError()).contains("user info");
        assertThat(c.call("webfetch", json("url", "http://[::1]/")).getError()).startsWith("EGRESS_REFUSED");
        assertThat(c.call("webfetch", json("url", "http://127.0.0.1/", "format", "pdf")).getError())
                .contains("markdown, text or html");
        assertThat(c.call("websearch", json("query", "codetether")).getError()).contains("loopback");
        assertThat(c.call("websearch", json()).getError()).contains("'query' is required");
    }

    @Test
    void lspRefusesUnknownActionsAndUnconfiguredLanguages() {
        c.call("write_file", json("path", "a.unknownlang", "content", "x"));
        assertThat(c.call("lsp", json("action", "rename", "file_path", "a.unknownlang")).getError())
                .contains("unknown action");
        assertThat(c.call("lsp", json("action", "hover", "file_path", "a.unknownlang", "line", 1, "column", 1))
                .getError()).contains("no language server is configured");
        c.call("write_file", json("path", "b.ts", "content", "const x = 1;\n"));
        assertThat(c.call("lsp", json("action", "hover", "file_path", "b.ts")).getError())
                .contains("needs line and column");
        assertThat(c.call("lsp", json("action", "hover", "file_path", "../x.ts", "line", 1, "column", 1)).getError())
                .startsWith("PATH_REFUSED");
    }

    @Test
    void lspAnswersWithARealTypeScriptServer() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/typescript-language-server"))
                && Files.isRegularFile(Path.of("/usr/lib/node_modules/typescript/lib/tsserver.js")),
                "typescript-language-server with TypeScript 5 not installed"
                        + " (npm install -g typescript-language-server typescript@5)");
        String src = "export function greet(name: string): string {\n  return 'hi ' + name;\n}\n"
                + "const n: number = greet('x');\n";
        c.call("write_file", json("path", "src/main.ts", "content", src));
        var def = c.call("lsp", json("action", "goToDefinition", "file_path", "src/main.ts", "line", 4, "column", 20));
        assertTrue(def.getOk(), def.getError());
        assertEquals("src/main.ts:1:17", def.getOutput());
        var hover = c.call("lsp", json("action", "hover", "file_path", "src/main.ts", "line", 1, "column", 18));
        assertThat(hover.getOutput()).contains("greet(name: string): string");
        var refs = c.call("lsp", json("action", "findReferences", "file_path", "src/main.ts", "line", 1, "column", 18));
        assertThat(refs.getOutput()).contains("src/main.ts:1:17").contains("src/main.ts:4:19");
        var diags = c.call("lsp", json("action", "diagnostics", "file_path", "src/main.ts"));
        assertTrue(diags.getOk(), diags.getError());
        assertThat(diags.getOutput()).contains("4:7 error").contains("not assignable to type 'number'");
        var comp = c.call("lsp", json("action", "completion", "file_path", "src/main.ts", "line", 4, "column", 20));
        assertThat(comp.getOutput()).contains("greet");
    }
}
