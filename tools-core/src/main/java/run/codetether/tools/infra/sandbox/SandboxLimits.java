package run.codetether.tools.infra.sandbox;

/**
 * Resource limits applied to every sandboxed command. CPU time, address space, file size and open files are
 * rlimits set by prlimit inside the sandbox; the process count is a pids cgroup when one can be created (rlimits
 * count per user, and the sandbox user maps to the service's user, so RLIMIT_NPROC would count the wrong things).
 */
public record SandboxLimits(long cpuSeconds, long memoryBytes, int maxProcesses, long fileSizeBytes, int openFiles,
        long outputKillBytes) {}
