import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.*;

/**
 * Broker CPU per record (issue 18; run by cost.sh as a single-file program): W writers each awaiting its send (as W
 * tasks at once would: acks=all, idempotent, no linger), R consumer groups reading the topic and committing once a
 * second, records shaped like a task's status event. The broker's utime+stime from /proc/PID/stat (100 ticks per s)
 * from the first send until every group read every record. Usage: BrokerCost BOOTSTRAP BROKER_PID COMPRESSION N W R
 */
public class BrokerCost {
    static long ticks(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    public static void main(String[] a) throws Exception {
        String boot = a[0]; long pid = Long.parseLong(a[1]); String comp = a[2]; int n = Integer.parseInt(a[3]);
        int writers = Integer.parseInt(a[4]); int readers = Integer.parseInt(a[5]);
        String topic = "cost." + comp + "." + System.nanoTime();
        try (Admin ad = Admin.create(Map.of("bootstrap.servers", boot))) {
            ad.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        String fmt = ("{\"kind\":\"status\",\"taskId\":\"%s\",\"contextId\":\"ctx-%s\",\"status\":{\"state\":\"TASK_STATE_WORKING\",\"message\":{\"role\":\"ROLE_AGENT\",\"parts\":[{\"text\":\"ok\"}],\"messageId\":\"%s\"},\"timestamp\":\"2026-12-06T07:00:00.123Z\"},\"metadata\":{\"codetether\":{\"step\":1,\"model\":\"local/scripted-coder\",\"usage\":{\"input\":123,\"output\":4}}}}");
        Map<String, Object> pc = new HashMap<>(Map.of("bootstrap.servers", boot, "acks", "all", "enable.idempotence", "true",
                "linger.ms", "0", "compression.type", comp));
        AtomicInteger read = new AtomicInteger();
        List<Thread> cons = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        for (int r = 0; r < readers; r++) {
            String g = "g" + r + "-" + topic;
            Thread t = new Thread(() -> {
                try (var c = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", boot, "group.id", g,
                        "auto.offset.reset", "earliest", "enable.auto.commit", "false"), new StringDeserializer(), new StringDeserializer())) {
                    c.subscribe(List.of(topic));
                    long last = System.nanoTime();
                    while (!stop.get()) {
                        var rs = c.poll(Duration.ofMillis(200));
                        read.addAndGet(rs.count());
                        if (System.nanoTime() - last > 1_000_000_000L) { c.commitSync(); last = System.nanoTime(); }
                    }
                }
            });
            t.start(); cons.add(t);
        }
        Thread.sleep(3000);
        try (var p = new KafkaProducer<String, String>(pc, new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, "warm", "x")).get();
            long t0 = ticks(pid); long w0 = System.nanoTime();
            ExecutorService ex = Executors.newFixedThreadPool(writers);
            AtomicInteger left = new AtomicInteger(n);
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < writers; w++) fs.add(ex.submit(() -> {
                int i;
                while ((i = left.decrementAndGet()) >= 0) {
                    String id = UUID.randomUUID().toString();
                    p.send(new ProducerRecord<>(topic, id, String.format(fmt, id, id, UUID.randomUUID()))).get();
                }
                return null;
            }));
            for (var f : fs) f.get();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (read.get() < (long) (n + 1) * readers && System.nanoTime() < deadline) Thread.sleep(20);
            long t1 = ticks(pid); double secs = (System.nanoTime() - w0) / 1e9;
            ex.shutdown();
            double ms = (t1 - t0) * 10.0;
            System.out.printf(Locale.ROOT, "%s n=%d writers=%d readers=%d: broker %.1f ms CPU, %.1f us/record, %.0f records/s, read %d%n",
                    comp, n, writers, readers, ms, ms * 1000 / n, n / secs, read.get());
        }
        stop.set(true); for (Thread t : cons) t.join();
    }
}
