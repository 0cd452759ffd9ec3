package run.codetether.bench.fullpath;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What the broker does per task (issue 18, {@code --count}): counters read over JMX from the stack's own processes
 * (the JDK's attach API starts each JVM's local management agent; no port, no setting of theirs changes). From the
 * broker: requests per API ({@code kafka.network RequestMetrics RequestsPerSec}) and records per topic
 * ({@code BrokerTopicMetrics MessagesInPerSec}). From each service's clients (Kafka's JMX reporter): per client id,
 * its requests of every kind, produce requests, fetches, commits and heartbeats. Client ids lose their random parts
 * (UUIDs, instance ids), so a service's clients of one kind add up under one name.
 */
final class KafkaCounts implements AutoCloseable {
    private static final Pattern RANDOM = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<=-)[0-9a-f]{8}(?=-|$)");
    /** Client metrics: MBean type and attribute -> the column it adds to. */
    private static final String[][] CLIENT = {
        {"kafka.producer:type=producer-metrics,client-id=*", "request-total", "requests"},
        {"kafka.producer:type=producer-metrics,client-id=*", "record-send-total", "records sent"},
        {"kafka.consumer:type=consumer-metrics,client-id=*", "request-total", "requests"},
        {"kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*", "fetch-total", "fetches"},
        {"kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*", "records-consumed-total", "records read"},
        {"kafka.consumer:type=consumer-coordinator-metrics,client-id=*", "commit-total", "commits"},
        {"kafka.consumer:type=consumer-coordinator-metrics,client-id=*", "heartbeat-total", "heartbeats"},
    };

    private final Map<String, Long> pids;
    private final String broker;
    private final Map<String, JMXConnector> connections = new HashMap<>();

    /** @param broker the name of the broker's process among {@code pids} */
    KafkaCounts(Map<String, Long> pids, String broker) {
        this.pids = pids;
        this.broker = broker;
    }

    /** Counter name -> value: {@code broker request Produce}, {@code topic tasks.events}, {@code agent <client> fetches}. */
    record Snapshot(Map<String, Double> values) {
        Map<String, Double> since(Snapshot before) {
            Map<String, Double> d = new TreeMap<>();
            values.forEach((k, v) -> d.put(k, v - before.values.getOrDefault(k, 0.0)));
            return d;
        }
    }

    Snapshot take() {
        Map<String, Double> v = new TreeMap<>();
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            MBeanServerConnection c = connection(p.getKey(), p.getValue());
            try {
                if (p.getKey().equals(broker)) {
                    add(v, c, "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=*,version=*", "Count",
                            n -> "broker request " + n.getKeyProperty("request"));
                    add(v, c, "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=*", "Count",
                            n -> "broker records " + n.getKeyProperty("topic"));
                    add(v, c, "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=*", "Count",
                            n -> "broker bytes " + n.getKeyProperty("topic"));
                } else {
                    for (String[] m : CLIENT) {
                        add(v, c, m[0], m[1], n -> "client " + p.getKey() + " " + clientName(n) + " | " + m[2]);
                    }
                }
            } catch (IOException | javax.management.JMException e) {
                throw new IllegalStateException("cannot read the Kafka counters of " + p.getKey() + ": " + e, e);
            }
        }
        return new Snapshot(v);
    }

    private static String clientName(ObjectName n) {
        return RANDOM.matcher(n.getKeyProperty("client-id")).replaceAll("*");
    }

    private static void add(Map<String, Double> v, MBeanServerConnection c, String pattern, String attribute,
            java.util.function.Function<ObjectName, String> key) throws IOException, javax.management.JMException {
        for (ObjectName n : c.queryNames(new ObjectName(pattern), null)) {
            Object value;
            try {
                value = c.getAttribute(n, attribute);
            } catch (javax.management.InstanceNotFoundException gone) {
                continue; // a client closed between the query and the read
            }
            if (value instanceof Number num && !Double.isNaN(num.doubleValue())) {
                v.merge(key.apply(n), num.doubleValue(), Double::sum);
            }
        }
    }

    private MBeanServerConnection connection(String name, long pid) {
        try {
            JMXConnector c = connections.get(name);
            if (c == null) {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
                String address;
                try {
                    address = vm.startLocalManagementAgent();
                } finally {
                    vm.detach();
                }
                c = JMXConnectorFactory.connect(new JMXServiceURL(address));
                connections.put(name, c);
            }
            return c.getMBeanServerConnection();
        } catch (IOException | com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IllegalStateException("cannot attach to " + name + " (pid " + pid + ") for its Kafka counters: "
                    + e, e);
        }
    }

    /**
     * The table of one row: every counter that moved, per task (the row's {@code tasks.requested} records, each one
     * accepted task) and per second of the window.
     */
    static String table(String label, Map<String, Double> delta, double seconds) {
        double tasks = delta.getOrDefault("broker records tasks.requested", 0.0);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%nKafka per task, %s: %.0f tasks accepted (tasks.requested records), %.1f s from the row's start to"
                        + " the end of its settling%n| counter | per task | per s |%n|---|---|---|%n", label, tasks,
                seconds));
        delta.forEach((k, d) -> {
            if (d > 0 && !k.startsWith("broker bytes")) {
                sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.1f |%n", k, tasks == 0 ? Double.NaN : d / tasks,
                        d / seconds));
            }
        });
        delta.forEach((k, d) -> {
            if (d > 0 && k.startsWith("broker bytes")) {
                sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", k, tasks == 0 ? Double.NaN : d / tasks,
                        d / seconds));
            }
        });
        return sb.toString();
    }

    @Override
    public void close() {
        connections.values().forEach(c -> {
            try {
                c.close();
            } catch (IOException ignored) {
                // the process may be gone already: nothing left to release
            }
        });
    }
}
