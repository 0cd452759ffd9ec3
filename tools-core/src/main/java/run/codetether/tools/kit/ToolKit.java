package run.codetether.tools.kit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import run.codetether.tools.domain.ResultStore;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolExecutor;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.search.GrepEngine;
import run.codetether.tools.domain.tool.ApplyPatchTool;
import run.codetether.tools.domain.tool.BashTool;
import run.codetether.tools.domain.tool.BatchTool;
import run.codetether.tools.domain.tool.CodeSearchTool;
import run.codetether.tools.domain.tool.ConfirmEditTool;
import run.codetether.tools.domain.tool.ConfirmMultiEditTool;
import run.codetether.tools.domain.tool.EditSupport;
import run.codetether.tools.domain.tool.EditTool;
import run.codetether.tools.domain.tool.GlobTool;
import run.codetether.tools.domain.tool.GrepTool;
import run.codetether.tools.domain.tool.ImageTool;
import run.codetether.tools.domain.tool.ListDirTool;
import run.codetether.tools.domain.tool.LspTool;
import run.codetether.tools.domain.tool.MultiEditTool;
import run.codetether.tools.domain.tool.ReadFileTool;
import run.codetether.tools.domain.tool.ToolRegistry;
import run.codetether.tools.domain.tool.UndoTool;
import run.codetether.tools.domain.tool.WebFetchTool;
import run.codetether.tools.domain.tool.WebSearchTool;
import run.codetether.tools.domain.tool.WriteFileTool;
import run.codetether.tools.domain.workspace.FileStore;

/**
 * The standard tool set, assembled once for both places that run it: tools-service (server-side workspaces) and a
 * worker (a developer's checkout). Same tools, same limits, same sandbox, same idempotency store: a call behaves the
 * same wherever it runs.
 */
public final class ToolKit {
    private ToolKit() {}

    /**
     * The limits of the tools (tools-service: {@code codetether.tools.*}; a worker: its flags and defaults).
     *
     * @param grepThreads empty: {@link GrepEngine#defaultThreads()}
     */
    public record Limits(Duration defaultTimeout, Duration maxTimeout, int outputCapBytes, long maxTextBytes,
            int readMaxChars, long grepMaxFileBytes, Optional<Integer> grepThreads, long imageMaxBytes,
            List<String> lspServers, List<String> lspExtraPath, Duration lspTimeout) {
        public Limits {
            lspServers = List.copyOf(lspServers);
            lspExtraPath = List.copyOf(lspExtraPath);
        }

        /** tools-service's defaults (docs/tools.md): what a worker uses unless told otherwise. */
        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(120), Duration.ofSeconds(600), 50_000, 10L * 1024 * 1024, 200_000,
                    10L * 1024 * 1024, Optional.empty(), 5L * 1024 * 1024, List.of(
                            "ts=typescript-language-server --stdio", "tsx=typescript-language-server --stdio",
                            "js=typescript-language-server --stdio", "jsx=typescript-language-server --stdio",
                            "py=pyright-langserver --stdio", "rs=rust-analyzer", "go=gopls"),
                    List.of(), Duration.ofSeconds(60));
        }
    }

    /** The web tools' wiring; absent: no webfetch and no websearch are offered. */
    public record Web(WebFetchTool fetch, String searchUrl) {}

    /** Builds the executor with every standard tool registered. */
    public static ToolExecutor executor(SessionRegistry sessions, ResultStore store, Sandbox sandbox,
            SandboxContext context, Limits limits, Optional<Web> web) {
        ToolRegistry registry = new ToolRegistry();
        ToolExecutor executor = new ToolExecutor(registry, sessions, store, limits.defaultTimeout(),
                limits.maxTimeout());
        EditSupport edits = new EditSupport(new FileStore(limits.maxTextBytes()));
        GrepEngine grep = new GrepEngine(limits.grepMaxFileBytes(),
                limits.grepThreads().orElse(GrepEngine.defaultThreads()));
        registry.register(new ReadFileTool(limits.readMaxChars()))
                .register(new WriteFileTool(edits))
                .register(new ListDirTool())
                .register(new GlobTool())
                .register(new GrepTool(grep))
                .register(new CodeSearchTool(grep))
                .register(new EditTool(edits))
                .register(new MultiEditTool(edits))
                .register(new ApplyPatchTool(edits))
                .register(new UndoTool(edits))
                .register(new ConfirmEditTool(edits))
                .register(new ConfirmMultiEditTool(edits))
                .register(new BashTool(sandbox, limits.defaultTimeout(), limits.maxTimeout(), limits.outputCapBytes(),
                        context))
                .register(new BatchTool(executor))
                .register(new ImageTool(limits.imageMaxBytes()));
        web.ifPresent(w -> registry.register(w.fetch()).register(new WebSearchTool(w.fetch(), w.searchUrl())));
        registry.register(new LspTool(sandbox, limits.lspServers(), limits.lspExtraPath(), limits.lspTimeout(),
                new FileStore(limits.maxTextBytes())));
        return executor;
    }
}
