package run.codetether.tools.domain.exec;

import java.util.List;

/** Per-session sandbox settings the tools ask for before they run a command (port; infra implements it). */
public interface SandboxContext {

    SandboxExtras extrasFor(String sessionId);

    /** Sentences about egress refusals of the session since {@code epochMs}, for the command's result. */
    List<String> egressRefusalsSince(String sessionId, long epochMs);

    SandboxContext NONE = new SandboxContext() {
        @Override
        public SandboxExtras extrasFor(String sessionId) {
            return SandboxExtras.NONE;
        }

        @Override
        public List<String> egressRefusalsSince(String sessionId, long epochMs) {
            return List.of();
        }
    };
}
