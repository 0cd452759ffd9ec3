package run.codetether.cli.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.PreviewResponse;
import run.codetether.contracts.tools.v1.ToolSpec;
import run.codetether.contracts.worker.v1.Call;
import run.codetether.contracts.worker.v1.CallKind;
import run.codetether.contracts.worker.v1.CallResult;
import run.codetether.tools.domain.DurableResultStore;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolExecutor;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.StartMarkingResultStore;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.infra.sandbox.SandboxLimits;
import run.codetether.tools.kit.Sandboxes;
import run.codetether.tools.kit.ToolKit;

/**
 * The worker's tools: tools-service's tool set (tools-core) with one session per codebase whose workspace is the
 * codebase's own directory, bubblewrap with only that codebase writable and the user's home and the worker's state
 * hidden, no network unless the worker has its own egress allowlist ({@link WorkerEgress}), and a start-marking
 * idempotency store on disk so that a call key retried after a reconnect or a restart runs at most once.
 */
public final class WorkerTools implements AutoCloseable {
    private final Map<String, CodebaseSpec> codebases;
    private final ToolExecutor executor;
    private final Sandbox sandbox;

    public WorkerTools(List<CodebaseSpec> codebases, Path stateDir, String bwrapPath, boolean sandboxed) {
        this(codebases, stateDir, bwrapPath, sandboxed, SandboxContext.NONE);
    }

    /** @param egress the sandbox's network ({@link WorkerEgress}), or {@link SandboxContext#NONE}: none at all */
    public WorkerTools(List<CodebaseSpec> codebases, Path stateDir, String bwrapPath, boolean sandboxed,
            SandboxContext egress) {
        this.codebases = codebases.stream().collect(Collectors.toUnmodifiableMap(CodebaseSpec::name,
                Function.identity()));
        Path state = stateDir.toAbsolutePath().normalize();
        SessionRegistry sessions = new SessionRegistry(state, id -> {
            CodebaseSpec c = this.codebases.get(id);
            if (c == null) {
                throw ToolException.invalid("this worker serves no codebase named '" + id + "'");
            }
            return c.dir();
        }, 100, state.resolve("history"));
        // bubblewrap mounts an empty tmpfs on the sandbox root before it hides the home and the state directory; the
        // root must exist (outside /tmp bwrap cannot create it on the read-only host root), or with the default
        // --state-dir (under the home) every bash call failed with "Can't mkdir .../sandbox-root"
        Path sandboxRoot = state.resolve("sandbox-root");
        try {
            java.nio.file.Files.createDirectories(sandboxRoot);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the worker's state directory " + sandboxRoot + ": "
                    + e.getMessage(), e);
        }
        // tools-service's defaults (docs/tools.md)
        SandboxLimits limits = new SandboxLimits(120, 8L << 30, 512, 1L << 30, 1024, 64L << 20);
        this.sandbox = Sandboxes.create(sandboxed, bwrapPath, sandboxRoot, limits, 8,
                Sandboxes.bridge("auto", state.resolve("egress-assets")),
                List.of(Path.of(System.getProperty("user.home")), state));
        this.executor = ToolKit.executor(sessions, new StartMarkingResultStore(new DurableResultStore(
                state.resolve("results"), 1000), state.resolve("started")), sandbox, egress,
                ToolKit.Limits.defaults(), Optional.empty());
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** The tools as the worker declares them in Register. */
    public List<ToolSpec> specs() {
        return executor.registry().all().stream().map(t -> ToolSpec.newBuilder().setName(t.name())
                .setDescription(t.description()).setParametersJsonSchema(t.parametersSchema().replace("\n", ""))
                .setReadOnly(t.readOnly()).setStreams(t.streams()).setNetwork(t.network()).build()).toList();
    }

    /** True when the tool changes something (an interactive worker asks before it). */
    public boolean mutates(String tool) {
        return executor.mutates(tool);
    }

    /** Runs one call (or answers it from the store); never throws: a problem is a refused or failed result. */
    public CallResult run(Call call, OutputSink sink) {
        CallResult.Builder b = CallResult.newBuilder().setCallKey(call.getCallKey());
        if (!codebases.containsKey(call.getCodebase())) {
            return b.setRefused("this worker serves no codebase named '" + call.getCodebase() + "'").build();
        }
        try {
            if (call.getKind() == CallKind.CALL_KIND_PREVIEW) {
                ToolExecutor.Preview p = executor.preview(call.getCodebase(), call.getToolName(),
                        call.getArgumentsJson());
                return b.setPreview(PreviewResponse.newBuilder().setHasPreview(p.available()).setDiff(p.diff())
                        .setError(p.error())).build();
            }
            ToolExecutor.Response r = executor.execute(call.getCodebase(), call.getCallKey(), call.getToolName(),
                    call.getArgumentsJson(), call.getTimeoutMs(), sink);
            return b.setExecuted(toProto(call.getCallKey(), r)).build();
        } catch (ToolException e) {
            return b.setRefused(e.getMessage()).build();
        }
    }

    private static ExecuteResponse toProto(String callKey, ToolExecutor.Response r) {
        ToolResult t = r.result();
        ExecuteResponse.Builder e = ExecuteResponse.newBuilder().setCallId(callKey).setOk(t.ok())
                .setOutput(t.output()).setError(t.error()).setTruncated(t.truncated()).setDurationMs(r.durationMs())
                .setReplayed(r.replayed()).setInterrupted(t.interrupted());
        if (t.exitCode() != null) {
            e.setExitCode(t.exitCode());
        }
        try {
            e.setMetadataJson(run.codetether.platform.json.Json.mapper().writeValueAsString(t.metadata()));
        } catch (Exception ex) {
            e.setMetadataJson("{}");
        }
        return e.build();
    }

    @Override
    public void close() {
        if (sandbox instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing at exit: nothing left to tell
            }
        }
    }
}
