package run.codetether.tools.infra.egress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.egress.EgressRecorder;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.exec.SandboxExtras;
import run.codetether.tools.domain.git.WorkspaceInfo;
import run.codetether.tools.infra.git.GitWorkspaces;

/**
 * A session's sandbox extras from its workspace record: the git directory read-only when the workspace is a git
 * checkout, and the egress proxy socket when egress is on for every session or the session asked for it (and an
 * egress proxy exists at all).
 */
public final class SessionSandboxContext implements SandboxContext {

    private final GitWorkspaces workspaces;
    private final Optional<EgressProxy> proxy;
    private final EgressRecorder recorder;
    private final boolean egressForAll;

    public SessionSandboxContext(GitWorkspaces workspaces, Optional<EgressProxy> proxy, EgressRecorder recorder,
            boolean egressForAll) {
        this.workspaces = workspaces;
        this.proxy = proxy;
        this.recorder = recorder;
        this.egressForAll = egressForAll;
    }

    @Override
    public SandboxExtras extrasFor(String sessionId) {
        Optional<WorkspaceInfo> info = workspaces.info(sessionId);
        List<Path> ro = new ArrayList<>();
        Path gitDir = workspaces.gitDir(sessionId);
        if (info.isPresent() && Files.isDirectory(gitDir)) {
            ro.add(gitDir);
        }
        boolean egress = egressForAll || info.map(WorkspaceInfo::egress).orElse(false);
        Optional<Path> socket = egress ? proxy.map(p -> p.socketFor(sessionId)) : Optional.empty();
        return new SandboxExtras(ro, socket);
    }

    @Override
    public List<String> egressRefusalsSince(String sessionId, long epochMs) {
        return EgressEvent.notAllowedSince(recorder.recent(sessionId), epochMs);
    }
}
