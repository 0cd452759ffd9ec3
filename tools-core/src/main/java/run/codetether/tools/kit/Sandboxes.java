package run.codetether.tools.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.infra.egress.BridgeLauncher;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.MissingBwrapSandbox;
import run.codetether.tools.infra.sandbox.PidsCgroup;
import run.codetether.tools.infra.sandbox.SandboxLimits;
import run.codetether.tools.infra.sandbox.UnsandboxedRunner;

/** The sandbox by settings, for tools-service and a worker alike: bubblewrap, a loud refusal without it, or none. */
public final class Sandboxes {
    private Sandboxes() {}

    /**
     * @param enabled false: commands run on the host (the caller warns loudly)
     * @param bwrapPath a path, or a name looked up on PATH; not found: every command is refused with an install hint
     */
    public static Sandbox create(boolean enabled, String bwrapPath, Path workspaceRoot, SandboxLimits limits,
            int cgroupPoolSize, BridgeLauncher bridge) {
        return create(enabled, bwrapPath, workspaceRoot, limits, cgroupPoolSize, bridge, java.util.List.of());
    }

    /** As above; {@code hidden} directories are empty inside the sandbox (see {@link BwrapSandbox}). */
    public static Sandbox create(boolean enabled, String bwrapPath, Path workspaceRoot, SandboxLimits limits,
            int cgroupPoolSize, BridgeLauncher bridge, java.util.List<Path> hidden) {
        if (!enabled) {
            return new UnsandboxedRunner(limits);
        }
        Optional<Path> bwrap = findExecutable(bwrapPath);
        if (bwrap.isEmpty()) {
            return new MissingBwrapSandbox(bwrapPath);
        }
        return new BwrapSandbox(bwrap.get().toString(), workspaceRoot, limits,
                PidsCgroup.parent().map(p -> new PidsCgroup.Pool(p, cgroupPoolSize)), Optional.of(bridge), hidden);
    }

    /**
     * The bridge between a sandbox and its egress proxy socket: {@code auto} (socat when installed, else a Java
     * bridge), {@code socat} or {@code java}.
     */
    public static BridgeLauncher bridge(String mode, Path assetDir) {
        String m = mode.strip().toLowerCase(Locale.ROOT);
        Optional<Path> socat = switch (m) {
            case "java" -> Optional.empty();
            case "socat", "auto" -> findExecutable("socat");
            default -> throw new IllegalArgumentException("the egress bridge must be auto, socat or java, not '" + m
                    + "'");
        };
        if (m.equals("socat") && socat.isEmpty()) {
            throw new IllegalStateException("the egress bridge is socat but socat is not installed (apt-get install"
                    + " socat)");
        }
        return BridgeLauncher.create(socat, assetDir);
    }

    public static Optional<Path> findExecutable(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
