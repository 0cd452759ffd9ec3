package run.codetether.bench.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Where an idle gateway's CPU and wake-ups go ({@code -Dbench.idle-threads=true} of {@link GatewayCpuBench}): per
 * thread name, CPU (utime + stime) and context switches (voluntary + involuntary: each a wake-up) from
 * {@code /proc/<pid>/task}, and per Kafka client the requests it sent ({@code request-total} of the clients' own
 * JMX metrics, read through the attach API's local management agent, which the measured window then includes).
 */
final class IdleThreads implements AutoCloseable {
    private record Sample(String name, long ticks, long switches) {}

    /** One thread name's use over the window; names are the kernel's (15 characters at most). */
    record Use(String name, int threads, double cpuMsPerSecond, double wakeupsPerSecond) {}

    private final long pid;
    private final JMXConnector jmx;
    private Map<Long, Sample> threads0;
    private Map<String, Double> requests0;
    private long t0;

    IdleThreads(long pid) throws Exception {
        this.pid = pid;
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
        String url;
        try {
            url = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        this.jmx = JMXConnectorFactory.connect(new JMXServiceURL(url));
    }

    void start() throws IOException {
        requests0 = kafkaRequests();
        threads0 = threads();
        t0 = System.nanoTime();
    }

    /** Per thread name over the window since {@link #start}, most wake-ups first, then a line per Kafka client. */
    String report() throws IOException {
        Map<Long, Sample> threads1 = threads();
        Map<String, Double> requests1 = kafkaRequests();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, double[]> byName = new HashMap<>();
        threads1.forEach((tid, s) -> {
            Sample before = threads0.getOrDefault(tid, new Sample(s.name(), 0, 0));
            double[] acc = byName.computeIfAbsent(s.name().replaceAll("[0-9]+", "N"), n -> new double[3]);
            acc[0]++;
            acc[1] += (s.ticks() - before.ticks()) * 10.0;
            acc[2] += s.switches() - before.switches();
        });
        List<Use> uses = new ArrayList<>();
        byName.forEach((n, a) -> uses.add(new Use(n, (int) a[0], a[1] / seconds, a[2] / seconds)));
        uses.sort((a, b) -> Double.compare(b.wakeupsPerSecond(), a.wakeupsPerSecond()));
        StringBuilder out = new StringBuilder(String.format("  idle window %.1f s, per thread name (N = digits):%n",
                seconds));
        double cpu = 0;
        double wakeups = 0;
        for (Use u : uses) {
            cpu += u.cpuMsPerSecond();
            wakeups += u.wakeupsPerSecond();
            if (u.wakeupsPerSecond() >= 0.5 || u.cpuMsPerSecond() >= 1) {
                out.append(String.format("    %-18s x%-3d %7.1f wake-ups/s %6.1f ms/s CPU%n", u.name(), u.threads(),
                        u.wakeupsPerSecond(), u.cpuMsPerSecond()));
            }
        }
        out.append(String.format("    all threads: %.1f wake-ups/s, %.1f ms/s CPU%n", wakeups, cpu));
        out.append("  Kafka requests/s per client:\n");
        double all = 0;
        for (Map.Entry<String, Double> e : new TreeMap<>(requests1).entrySet()) {
            double rate = (e.getValue() - requests0.getOrDefault(e.getKey(), 0.0)) / seconds;
            all += rate;
            out.append(String.format("    %-48s %6.2f%n", e.getKey(), rate));
        }
        out.append(String.format("    all clients: %.2f requests/s%n", all));
        return out.toString();
    }

    private Map<Long, Sample> threads() throws IOException {
        Map<Long, Sample> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
                    long switches = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches") || line.startsWith("nonvoluntary_ctxt_switches")) {
                            switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    out.put(Long.parseLong(t.getFileName().toString()), new Sample(name, ticks, switches));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: it is left out of this sample
                }
            }
        }
        return out;
    }

    private Map<String, Double> kafkaRequests() throws IOException {
        MBeanServerConnection s = jmx.getMBeanServerConnection();
        Map<String, Double> out = new HashMap<>();
        for (String pattern : List.of("kafka.consumer:type=consumer-metrics,*",
                "kafka.producer:type=producer-metrics,*", "kafka.admin.client:type=admin-client-metrics,*")) {
            java.util.Set<ObjectName> names;
            try {
                names = s.queryNames(new ObjectName(pattern), null);
            } catch (javax.management.MalformedObjectNameException e) {
                throw new IllegalArgumentException(pattern, e);
            }
            for (ObjectName n : names) {
                try {
                    Object v = s.getAttribute(n, "request-total");
                    out.put(n.getDomain().replace("kafka.", "") + " " + n.getKeyProperty("client-id"),
                            ((Number) v).doubleValue());
                } catch (javax.management.JMException e) {
                    // a client closed between the query and the read: left out of this sample
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        jmx.close();
    }
}
