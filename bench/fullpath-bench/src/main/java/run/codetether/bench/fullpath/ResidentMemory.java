package run.codetether.bench.fullpath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resident memory of processes from {@code /proc/<pid>/status}: now (VmRSS) and the most the process ever held
 * (VmHWM). The peak is what a machine must have room for: a JIT setting or a cut that trades memory for CPU shows
 * there, not in the CPU per task.
 */
final class ResidentMemory {
    /** The live system's /proc. */
    static final ResidentMemory PROC = new ResidentMemory(Path.of("/proc"));

    private final Path proc;

    /** Reads a /proc tree under {@code proc} (a fake one in tests). */
    ResidentMemory(Path proc) {
        this.proc = proc;
    }

    /** Resident KiB of one process now and at its peak. */
    record Resident(long kib, long peakKib) {
        double mib() {
            return kib / 1024.0;
        }

        double peakMib() {
            return peakKib / 1024.0;
        }
    }

    /** Per process name, in the map's order; fails naming the process when it is gone. */
    Map<String, Resident> read(Map<String, Long> pids) {
        Map<String, Resident> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Path status = proc.resolve(Long.toString(pid)).resolve("status");
            try {
                out.put(name, parse(Files.readString(status)));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read the memory of " + name + " (" + status + "): " + e, e);
            }
        });
        return out;
    }

    /** VmRSS and VmHWM of a status file's text (proc(5): "VmRSS:\t  123456 kB"). */
    static Resident parse(String status) {
        return new Resident(field(status, "VmRSS:"), field(status, "VmHWM:"));
    }

    private static long field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                String value = line.substring(name.length()).strip();
                if (!value.endsWith(" kB")) {
                    throw new IllegalArgumentException(name + " not in kB: " + line);
                }
                return Long.parseLong(value.substring(0, value.length() - 3).strip());
            }
        }
        throw new IllegalArgumentException("no " + name + " line (a kernel thread or a process that ended?)");
    }
}
