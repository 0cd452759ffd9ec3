package run.codetether.tools.domain.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a session's sandbox gets beyond its workspace: host paths bound read-only at the same place (the session's
 * git directory, so git inside can read history but never change config or hooks), and the Unix socket of the
 * session's egress proxy (absent: no network at all, as without egress).
 */
public record SandboxExtras(List<Path> readOnlyBinds, Optional<Path> egressSocket) {

    public static final SandboxExtras NONE = new SandboxExtras(List.of(), Optional.empty());

    public SandboxExtras {
        readOnlyBinds = List.copyOf(readOnlyBinds);
    }
}
