package run.codetether.tools.infra.sandbox;

import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;

/** Sandbox enabled but bubblewrap not found: every command is refused with how to fix it; nothing runs unsandboxed. */
public final class MissingBwrapSandbox implements Sandbox {

    private final String bwrap;

    public MissingBwrapSandbox(String bwrap) {
        this.bwrap = bwrap;
    }

    @Override
    public ExecResult run(ExecSpec spec, OutputSink sink) {
        throw refusal();
    }

    @Override
    public Interactive start(ExecSpec spec) {
        throw refusal();
    }

    @Override
    public Interactive startWithStderr(ExecSpec spec) {
        throw refusal();
    }

    @Override
    public String describe() {
        return "unavailable: bubblewrap not found at " + bwrap;
    }

    private ToolException refusal() {
        return new ToolException(ToolException.Code.UNAVAILABLE, "commands are refused: the sandbox (bubblewrap) is"
                + " not installed on this tools-service host (looked for '" + bwrap + "'). Install it with"
                + " `apt-get install bubblewrap` (Debian/Ubuntu) or `dnf install bubblewrap`, or set"
                + " codetether.tools.sandbox.bwrap-path; an operator may switch the sandbox off with"
                + " codetether.tools.sandbox.enabled=false (not recommended)");
    }
}
