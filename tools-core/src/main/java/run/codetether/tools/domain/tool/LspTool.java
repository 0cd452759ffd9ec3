package run.codetether.tools.domain.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import run.codetether.platform.json.Json;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.lsp.LspClient;
import run.codetether.tools.domain.workspace.FileStore;
import run.codetether.tools.domain.workspace.PathPolicy;

/**
 * lsp: starts the language server configured for the file's extension inside the sandbox (stdio, no network),
 * opens the file and answers one question: definition, references, hover, completion, diagnostics, document or
 * workspace symbols, implementation. One server per call: slower than a resident server, but nothing outlives the
 * call and sessions never share a server.
 */
public final class LspTool implements Tool {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("goToDefinition", "textDocument/definition"), Map.entry("definition", "textDocument/definition"),
            Map.entry("findReferences", "textDocument/references"), Map.entry("references", "textDocument/references"),
            Map.entry("hover", "textDocument/hover"), Map.entry("completion", "textDocument/completion"),
            Map.entry("documentSymbol", "textDocument/documentSymbol"), Map.entry("workspaceSymbol", "workspace/symbol"),
            Map.entry("goToImplementation", "textDocument/implementation"),
            Map.entry("diagnostics", "textDocument/publishDiagnostics"));
    private static final Map<String, String> LANGUAGE_IDS = Map.of("ts", "typescript", "tsx", "typescriptreact", "js",
            "javascript", "jsx", "javascriptreact", "py", "python", "rs", "rust", "go", "go");

    private final Sandbox sandbox;
    private final Map<String, List<String>> servers;
    private final List<String> searchPath;
    private final Duration timeout;
    private final FileStore store;

    public LspTool(Sandbox sandbox, List<String> serverSpecs, List<String> extraPath, Duration timeout, FileStore store) {
        this.sandbox = sandbox;
        this.servers = new LinkedHashMap<>();
        for (String spec : serverSpecs) {
            int eq = spec.indexOf('=');
            if (eq > 0) {
                servers.put(spec.substring(0, eq).strip(), List.of(spec.substring(eq + 1).strip().split("\\s+")));
            }
        }
        List<String> sp = new ArrayList<>(extraPath);
        sp.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin"));
        this.searchPath = sp;
        this.timeout = timeout;
        this.store = store;
    }

    @Override
    public String name() {
        return "lsp";
    }

    @Override
    public String description() {
        return "lsp(action, file_path, line?, column?, query?) - Ask the language server for the file's language:"
                + " goToDefinition, findReferences, hover, completion, diagnostics, documentSymbol, workspaceSymbol,"
                + " goToImplementation. line and column are 1-based. Servers: " + servers.keySet();
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "action":{"type":"string","description":"The LSP operation to perform","enum":["goToDefinition",
                "findReferences","hover","completion","diagnostics","documentSymbol","workspaceSymbol","goToImplementation"]},
                "file_path":{"type":"string","description":"The path to the file (relative to the workspace)"},
                "line":{"type":"integer","minimum":1,"description":"The line number (1-based, as shown in editors)"},
                "column":{"type":"integer","minimum":1,"description":"The character offset/column (1-based, as shown in editors)"},
                "query":{"type":"string","description":"Search text for workspaceSymbol"}},
                "required":["action","file_path"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        var a = call.args();
        String action = a.requireString("action");
        String method = ACTIONS.get(action);
        if (method == null) {
            throw ToolException.invalid("lsp: unknown action '" + action + "'; one of goToDefinition, findReferences,"
                    + " hover, completion, diagnostics, documentSymbol, workspaceSymbol, goToImplementation");
        }
        PathPolicy paths = call.session().paths();
        Path file = paths.resolve(a.requireString("file_path"));
        String shown = paths.display(file);
        String text = store.readText(file, shown);
        boolean positional = method.equals("textDocument/definition") || method.equals("textDocument/references")
                || method.equals("textDocument/hover") || method.equals("textDocument/completion")
                || method.equals("textDocument/implementation");
        long line = a.integer("line", 1, 1, Integer.MAX_VALUE);
        long column = a.integer("column", 1, 1, Integer.MAX_VALUE);
        if (positional && (a.integer("line").isEmpty() || a.integer("column").isEmpty())) {
            throw ToolException.invalid("lsp: " + action + " needs line and column (1-based)");
        }
        String ext = extension(file);
        List<String> cmd = servers.get(ext);
        if (cmd == null) {
            throw new ToolException(Code.UNAVAILABLE, "lsp: no language server is configured for '." + ext
                    + "' files (configured: " + servers.keySet() + "; see codetether.tools.lsp.servers)");
        }
        Path exe = findOnPath(cmd.get(0)).orElseThrow(() -> new ToolException(Code.UNAVAILABLE, "lsp: language server '"
                + cmd.get(0) + "' for ." + ext + " files is not installed on the tools-service host (e.g. `npm install"
                + " -g typescript-language-server typescript` or `npm install -g pyright`)"));
        List<String> argv = new ArrayList<>(cmd);
        argv.set(0, exe.toString());
        Duration limit = timeout.compareTo(call.timeout()) < 0 ? timeout : call.timeout();
        Path root = paths.root();
        String rootUri = root.toUri().toString();
        String uri = file.toUri().toString();
        try (Sandbox.Interactive proc = sandbox.start(new ExecSpec(argv, root, root, limit, 1 << 20));
                LspClient lsp = new LspClient(proc.stdout(), proc.stdin())) {
            lsp.request("initialize", initialize(rootUri, root, exe), limit);
            lsp.notify("initialized", JSON.createObjectNode());
            ObjectNode open = JSON.createObjectNode();
            open.putObject("textDocument").put("uri", uri).put("languageId", LANGUAGE_IDS.getOrDefault(ext, ext))
                    .put("version", 1).put("text", text);
            lsp.notify("textDocument/didOpen", open);
            JsonNode result;
            if (method.equals("textDocument/publishDiagnostics")) {
                result = lsp.awaitDiagnostics(uri, limit);
            } else {
                ObjectNode params = JSON.createObjectNode();
                if (method.equals("workspace/symbol")) {
                    params.put("query", a.string("query").orElse(""));
                } else {
                    params.putObject("textDocument").put("uri", uri);
                }
                if (positional) {
                    params.putObject("position").put("line", line - 1).put("character", column - 1);
                }
                if (method.equals("textDocument/references")) {
                    params.putObject("context").put("includeDeclaration", true);
                }
                result = lsp.request(method, params, limit);
            }
            try {
                lsp.request("shutdown", null, Duration.ofSeconds(2));
                lsp.notify("exit", null);
            } catch (ToolException ignored) {
                // The server is killed on close anyway.
            }
            String answer = LspFormat.format(action, result, paths, root);
            if (!lsp.serverErrors().isEmpty()) {
                // An empty answer after a server error is not "no results": say what broke.
                answer += "\n[language server errors: " + String.join(" | ", lsp.serverErrors()) + "]";
            }
            return ToolResult.success(answer,
                    Map.of("action", action, "server", cmd.get(0), "result", result == null ? "null"
                            : result.toString()));
        }
    }

    private static ObjectNode initialize(String rootUri, Path root, Path exe) {
        ObjectNode p = JSON.createObjectNode();
        tsserverBesideServer(exe).ifPresent(ts -> p.putObject("initializationOptions").putObject("tsserver")
                .put("path", ts.toString()));
        p.putNull("processId");
        p.put("rootUri", rootUri);
        p.put("rootPath", root.toString());
        ObjectNode caps = p.putObject("capabilities");
        ObjectNode td = caps.putObject("textDocument");
        td.putObject("hover").putArray("contentFormat").add("plaintext").add("markdown");
        td.putObject("definition");
        td.putObject("references");
        td.putObject("implementation");
        td.putObject("documentSymbol").put("hierarchicalDocumentSymbolSupport", true);
        td.putObject("completion").putObject("completionItem").put("snippetSupport", false);
        td.putObject("publishDiagnostics");
        td.putObject("synchronization").put("didSave", false);
        caps.putObject("workspace").put("configuration", true).put("workspaceFolders", true);
        p.putArray("workspaceFolders").addObject().put("uri", rootUri).put("name", "workspace");
        return p;
    }

    /**
     * typescript-language-server does not look for a globally installed TypeScript; point it at the one installed
     * beside it (same node_modules) unless the workspace has its own, which the server prefers anyway.
     */
    static Optional<Path> tsserverBesideServer(Path exe) {
        try {
            for (Path d = exe.toRealPath().getParent(); d != null; d = d.getParent()) {
                if (d.getFileName() != null && d.getFileName().toString().equals("node_modules")) {
                    Path ts = d.resolve("typescript/lib/tsserver.js");
                    return Files.isRegularFile(ts) ? Optional.of(ts) : Optional.empty();
                }
            }
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Optional<Path> findOnPath(String name) {
        if (name.contains("/")) {
            return Optional.of(Path.of(name)).filter(Files::isExecutable);
        }
        return searchPath.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
