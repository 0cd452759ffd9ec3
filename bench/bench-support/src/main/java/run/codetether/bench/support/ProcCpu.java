package run.codetether.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (utime + stime, every thread of the process; children that
 * were waited for are not included). Resolution is one clock tick (10 ms with the usual USER_HZ of 100), so a row
 * must run long enough for the per-task figure to mean something (thousands of tasks).
 */
public final class ProcCpu {
    /** USER_HZ: the unit of utime/stime; 100 on every Linux architecture the JDK runs on. */
    public static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {}

    /** CPU milliseconds (user + system) the process has used so far; fails when the process is gone. */
    public static double millis(long pid) {
        String[] f = fields(pid);
        return ticks(f, 14) + ticks(f, 15); // utime, stime
    }

    /**
     * CPU milliseconds (user + system) of the process's children that have exited and been waited for (cutime +
     * cstime): how a benchmark measures a short-lived child it ran to completion (e.g. the load generator).
     */
    public static double reapedChildrenMillis(long pid) {
        String[] f = fields(pid);
        return ticks(f, 16) + ticks(f, 17); // cutime, cstime
    }

    /** CPU milliseconds of this JVM itself. */
    public static double selfMillis() {
        return millis(ProcessHandle.current().pid());
    }

    /** The fields of /proc/pid/stat from field 3 on (index 0 = field 3). */
    private static String[] fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone (no /proc/" + pid + "/stat)", e);
        }
        return fieldsOf(stat);
    }

    /** The fields of a stat line from field 3 on; the command name (field 2) may hold spaces and parentheses. */
    private static String[] fieldsOf(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** utime + stime (fields 14 and 15) of one {@code /proc/<pid>[/task/<tid>]/stat} line, in milliseconds. */
    public static double statMillis(String stat) {
        String[] f = fieldsOf(stat);
        return ticks(f, 14) + ticks(f, 15);
    }

    /** Field {@code n} (1-based, as proc(5) numbers them) in milliseconds. */
    private static double ticks(String[] fieldsFrom3, int n) {
        return Long.parseLong(fieldsFrom3[n - 3]) * 1000.0 / TICKS_PER_SECOND;
    }

    /**
     * CPU milliseconds of the process and of its children that exited and were waited for (utime + stime + cutime
     * + cstime): what a service costs including the short-lived programs it runs (git, bwrap). A child still
     * running at the time of the call is not in it yet.
     */
    public static double millisWithReapedChildren(long pid) {
        String[] f = fields(pid);
        return ticks(f, 14) + ticks(f, 15) + ticks(f, 16) + ticks(f, 17);
    }

    /** {@link #millisWithReapedChildren(long) CPU milliseconds} of each named process now, in the given order. */
    public static Snapshot snapshot(Map<String, Long> pids) {
        Map<String, Double> ms = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ms.put(name, millisWithReapedChildren(pid)));
        return new Snapshot(ms);
    }

    /** CPU milliseconds per named process at one point of a run. */
    public record Snapshot(Map<String, Double> millis) {
        public Snapshot {
            millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis));
        }

        /** CPU milliseconds each process used from {@code before} to this snapshot, in {@code before}'s order. */
        public Map<String, Double> since(Snapshot before) {
            Map<String, Double> d = new LinkedHashMap<>();
            before.millis.forEach((name, ms) -> d.put(name, millis.getOrDefault(name, ms) - ms));
            return d;
        }
    }
}
