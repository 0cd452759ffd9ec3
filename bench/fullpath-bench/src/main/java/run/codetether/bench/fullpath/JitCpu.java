package run.codetether.bench.fullpath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import run.codetether.bench.support.ProcCpu;

/**
 * CPU of the JIT compilers of processes: the threads whose name ({@code /proc/<pid>/task/<tid>/comm}, cut to 15
 * characters by the kernel) starts with "C1 Compiler" or "C2 Compiler" (HotSpot's "C2 CompilerThread0", ...), their
 * utime + stime from {@code /proc/<pid>/task/<tid>/stat}. A row's CPU holds its JVMs' compilations; without this the
 * bench could not tell a path that got cheaper from a compiler that finished its work.
 *
 * <p>HotSpot adds and removes compiler threads with the load ({@code UseDynamicNumberOfCompilerThreads}), and a
 * thread that ended keeps no entry under {@code task/}: the JIT of a window is the sum over the compiler threads
 * alive at its end (those alive at its start by their difference, those started in it from zero), so the CPU of the
 * threads that ended inside the window is lost and the figure is a lower bound; {@link Jit#ended()} says how many.
 * A process with no such thread at either end (node: V8 names no compiler threads) has no figure ({@link
 * Jit#named()} false), not a zero.
 */
final class JitCpu {
    /** The live system's /proc. */
    static final JitCpu PROC = new JitCpu(Path.of("/proc"));

    private final Path proc;

    /** Reads a /proc tree under {@code proc} (a fake one in tests). */
    JitCpu(Path proc) {
        this.proc = proc;
    }

    /** The JIT CPU of one process in a window. */
    record Jit(double ms, int threads, int ended) {
        /** Whether the process had compiler threads to read at all (a JVM has; node has not). */
        boolean named() {
            return threads > 0;
        }
    }

    /** Per process name, CPU milliseconds of each compiler thread (tid -> ms) at one point. */
    record Snapshot(Map<String, Map<Long, Double>> threads) {
        Snapshot {
            threads = Collections.unmodifiableMap(new LinkedHashMap<>(threads));
        }

        /** Per process name, in {@code before}'s order, the JIT CPU from {@code before} to this snapshot. */
        Map<String, Jit> since(Snapshot before) {
            Map<String, Jit> out = new LinkedHashMap<>();
            before.threads.forEach((name, was) -> {
                Map<Long, Double> now = threads.getOrDefault(name, Map.of());
                double ms = 0;
                for (Map.Entry<Long, Double> t : now.entrySet()) {
                    ms += t.getValue() - was.getOrDefault(t.getKey(), 0.0);
                }
                int ended = (int) was.keySet().stream().filter(tid -> !now.containsKey(tid)).count();
                int seen = (int) Stream.concat(was.keySet().stream(), now.keySet().stream()).distinct().count();
                out.put(name, new Jit(ms, seen, ended));
            });
            return out;
        }
    }

    Snapshot snapshot(Map<String, Long> pids) {
        Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, compilerThreads(pid)));
        return new Snapshot(out);
    }

    /** tid -> CPU milliseconds of each compiler thread of the process now; fails when the process is gone. */
    Map<Long, Double> compilerThreads(long pid) {
        Path tasks = proc.resolve(Long.toString(pid)).resolve("task");
        Map<Long, Double> out = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) list::iterator) {
                String comm;
                String stat;
                try {
                    comm = Files.readString(t.resolve("comm")).strip();
                    if (!isCompiler(comm)) {
                        continue;
                    }
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended between the listing and the read
                }
                out.put(Long.parseLong(t.getFileName().toString()), cpuMillis(stat));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of process " + pid + " (" + tasks + "): " + e, e);
        }
        return out;
    }

    static boolean isCompiler(String comm) {
        return comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler");
    }

    /** utime + stime (fields 14 and 15 of proc(5)) of a stat line, in ms. */
    static double cpuMillis(String stat) {
        return ProcCpu.statMillis(stat);
    }
}
