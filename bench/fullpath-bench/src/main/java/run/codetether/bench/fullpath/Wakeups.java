package run.codetether.bench.fullpath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Wake-ups of processes with no traffic: the context switches (voluntary + involuntary) of every thread, from
 * {@code /proc/<pid>/task/<tid>/status}. An idle poll loop costs little CPU per pass but wakes its thread each time
 * (a 100 ms poll: 10 wake-ups a second), which {@code utime + stime} at the kernel's 10 ms tick hardly shows.
 * Threads that ended during the window are not counted, threads started in it count from zero.
 */
final class Wakeups {
    private Wakeups() {}

    /** Per process name, the context switches of its live threads so far. */
    static Map<String, Long> snapshot(Map<String, Long> pids) {
        Map<String, Long> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, of(pid)));
        return out;
    }

    /** Per process name, wake-ups per second between two snapshots. */
    static Map<String, Double> perSecond(Map<String, Long> before, Map<String, Long> after, double seconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((name, n) -> out.put(name, (n - before.getOrDefault(name, 0L)) / seconds));
        return out;
    }

    static String line(String label, Map<String, Double> perSecond) {
        StringBuilder sb = new StringBuilder("\nWake-ups (context switches of every thread) per second, " + label + ":");
        perSecond.forEach((name, n) -> sb.append(String.format(Locale.ROOT, " %s %.1f", name, n)));
        return sb.toString();
    }

    private static long of(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long sum = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                sum += switches(t.resolve("status"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of process " + pid + " (" + tasks + "): " + e, e);
        }
        return sum;
    }

    private static long switches(Path status) {
        long n = 0;
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException e) {
            return 0; // the thread ended between the listing and the read
        }
        return n;
    }
}
