package run.codetether.bench.fullpath;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one process's CPU went in a time window, from a JFR recording ({@code settings=profile}): the execution
 * samples between two UTC times, as three top-N tables: self time by method (the sampled frame), by the first frame
 * of the platform's own code on the stack (who caused the library or JDK work under it) and the share of samples
 * with each of our methods anywhere on the stack; plus samples per thread group. Made for issue 18's full-path
 * profile: record each service with {@code --jvm-options "... -XX:StartFlightRecording=filename=DIR/%p.jfr,
 * settings=profile"} and read the measured row's window.
 *
 * <pre>
 * java -cp bench/fullpath-bench/target/classes run.codetether.bench.fullpath.JfrTop [--from HH:MM:SS] [--to HH:MM:SS]
 *     [--top N] FILE.jfr...
 * </pre>
 *
 * Also runs as a single source file ({@code java .../JfrTop.java ...}). Times are UTC on the recording's day.
 */
public final class JfrTop {
    private static final String OURS = "run.codetether.";

    private JfrTop() {}

    public static void main(String[] args) throws IOException {
        LocalTime from = null;
        LocalTime to = null;
        int top = 15;
        String under = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--from" -> from = LocalTime.parse(args[++i]);
                case "--to" -> to = LocalTime.parse(args[++i]);
                case "--top" -> top = Integer.parseInt(args[++i]);
                case "--under" -> under = args[++i];
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: JfrTop [--from HH:MM:SS] [--to HH:MM:SS] [--top N] FILE.jfr...");
            System.exit(2);
        }
        for (Path f : files) {
            report(f, from, to, top, under);
        }
    }

    private static void report(Path file, LocalTime from, LocalTime to, int top, String under) throws IOException {
        Map<String, Integer> callees = new HashMap<>();
        int underSamples = 0;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> firstOwn = new HashMap<>();
        Map<String, Integer> anyOwn = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        String process = "?";
        int samples = 0;
        Instant first = null;
        Instant last = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.JVMInformation")) {
                process = e.getString("javaArguments");
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            Instant at = e.getStartTime();
            LocalTime t = at.atOffset(ZoneOffset.UTC).toLocalTime();
            if ((from != null && t.isBefore(from)) || (to != null && t.isAfter(to))) {
                continue;
            }
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
            samples++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(threadGroup(thread), 1, Integer::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                self.merge("(no stack)", 1, Integer::sum);
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            String own = null;
            Set<String> seen = new HashSet<>();
            for (RecordedFrame fr : frames) {
                String n = name(fr.getMethod());
                if (n.startsWith(OURS)) {
                    if (own == null) {
                        own = n;
                    }
                    if (seen.add(n)) {
                        anyOwn.merge(n, 1, Integer::sum);
                    }
                }
            }
            if (under != null) {
                for (int k = frames.size() - 1; k >= 0; k--) {
                    if (name(frames.get(k).getMethod()).equals(under)) {
                        underSamples++;
                        callees.merge(k == 0 ? "(self)" : calleePath(frames, k), 1, Integer::sum);
                        break;
                    }
                }
            }
            firstOwn.merge(own == null ? "(no frame of ours)" : own, 1, Integer::sum);
        }
        System.out.printf(Locale.ROOT, "## %s%nprocess: %s%nsamples: %d (%s .. %s UTC)%n%n", file.getFileName(),
                process, samples, first == null ? "-" : first.atOffset(ZoneOffset.UTC).toLocalTime(),
                last == null ? "-" : last.atOffset(ZoneOffset.UTC).toLocalTime());
        table("thread group", threads, samples, top);
        table("self (top frame)", self, samples, top);
        table("first frame of ours (what caused it)", firstOwn, samples, top);
        table("ours anywhere on the stack", anyOwn, samples, top);
        if (under != null) {
            System.out.printf("%d samples under %s%n", underSamples, under);
            table("called by " + under + " (then the first frame of ours or the top below it)", callees, samples, top);
        }
    }

    /** The frame {@code under} called, and the first frame of ours above that (or the top frame). */
    private static String calleePath(List<RecordedFrame> frames, int k) {
        String callee = name(frames.get(k - 1).getMethod());
        for (int j = k - 2; j >= 0; j--) {
            String n = name(frames.get(j).getMethod());
            if (n.startsWith(OURS)) {
                return callee + " > " + n;
            }
        }
        return callee + " > " + name(frames.get(0).getMethod());
    }

    private static void table(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.printf("| %s | samples | share |%n|---|---|---|%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf(Locale.ROOT, "| `%s` | %d | %.1f %% |%n", en.getKey(), en.getValue(),
                        samples == 0 ? 0.0 : 100.0 * en.getValue() / samples));
        System.out.println();
    }

    private static String name(RecordedMethod m) {
        if (m == null) {
            return "?";
        }
        String type = m.getType().getName();
        return type.replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda") + "." + m.getName();
    }

    /** Thread names with their numbers taken out: pools and per-task threads count as one group. */
    static String threadGroup(String thread) {
        return thread.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*").replaceAll("\\d+", "N");
    }
}
