package run.codetether.platform.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kafka client settings of one service: every {@code kafka.*} key of its configuration (prefix stripped:
 * {@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, ...) goes to every client it
 * makes, so SASL/TLS set once reaches producers, consumers and the admin client alike. On top of them:
 * <ul>
 *   <li>producers: {@code acks=all} and {@code enable.idempotence=true} always (a setting that weakens them is
 *       refused), and these defaults, each overridable by its {@code kafka.*} key: {@link #PRODUCER_DEFAULTS}
 *       ({@code compression.type=lz4}, {@code linger.ms=0}, {@code max.in.flight.requests.per.connection=1},
 *       {@code request.timeout.ms=10000},
 *       {@code delivery.timeout.ms=30000}, {@code max.block.ms=10000});</li>
 *   <li>consumers: {@code enable.auto.commit=false} and {@code auto.offset.reset=earliest} unless a loop says
 *       otherwise.</li>
 * </ul>
 * Immutable.
 */
public record KafkaSettings(Map<String, String> properties) {
    public static final String BOOTSTRAP = "bootstrap.servers";
    /** The local broker of {@code ./codetether up}. */
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    /**
     * Producer settings a service may tune through {@code kafka.*}. No linger: the platform's sends are awaited (a
     * task's accept, its events, its session saves), one after another on a task's path, so every linger is paid
     * once per awaited send by a lone record. One request in flight per connection instead: the records sent while
     * a request is out wait for its answer and then go out together, so a producer batches as much as its load
     * makes it wait (an adaptive linger) while a lone record still goes out at once. With Kafka's five, records of
     * tasks side by side went out in up to five small requests instead of one: the full path at c=64 sent 1.25
     * produce requests per task against 0.86 with one (issue 18, bench/README.md).
     */
    public static final Map<String, String> PRODUCER_DEFAULTS = orderedMap(
            "compression.type", "lz4",
            "linger.ms", "0",
            "max.in.flight.requests.per.connection", "1",
            "request.timeout.ms", "10000",
            "delivery.timeout.ms", "30000",
            "max.block.ms", "10000");
    /** Producer settings that make a write durable and duplicate-free; never overridden. */
    public static final Map<String, String> PRODUCER_FIXED = orderedMap("acks", "all", "enable.idempotence", "true");
    public static final Map<String, String> CONSUMER_DEFAULTS = orderedMap(
            "enable.auto.commit", "false",
            "auto.offset.reset", "earliest");
    /** Keys Quarkus puts beside the client settings that are not Kafka client settings. */
    private static final Set<String> NOT_CLIENT_KEYS = Set.of("tls-configuration-name", "tls.configuration.name");

    public KafkaSettings {
        Map<String, String> copy = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (v != null && !NOT_CLIENT_KEYS.contains(k)) {
                copy.put(k, v);
            }
        });
        String bootstrap = copy.get(BOOTSTRAP);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is not set (env CODETETHER_KAFKA_BOOTSTRAP)");
        }
        checkNotWeakened(copy, "acks", "all", "-1");
        checkNotWeakened(copy, "enable.idempotence", "true");
        properties = Map.copyOf(copy);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(Map.of(BOOTSTRAP, bootstrapServers));
    }

    /** From a service's {@code kafka.*} configuration, prefix stripped (e.g. Quarkus' default-kafka-broker map). */
    public static KafkaSettings fromConfig(Map<String, ?> kafkaConfig) {
        Map<String, String> m = new LinkedHashMap<>();
        kafkaConfig.forEach((k, v) -> m.put(k, v == null ? null : String.valueOf(v)));
        return new KafkaSettings(m);
    }

    public String bootstrapServers() {
        return properties.get(BOOTSTRAP);
    }

    /** One more client setting (tests, benchmarks). */
    public KafkaSettings with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(properties);
        m.put(key, value);
        return new KafkaSettings(m);
    }

    /** Producer config: defaults, then the service's settings, then the fixed durability settings. */
    public Map<String, Object> producer(String clientId, Map<String, ?> overrides) {
        for (String fixed : PRODUCER_FIXED.keySet()) {
            if (overrides.containsKey(fixed)) {
                throw new IllegalArgumentException("a platform producer is always " + fixed + "="
                        + PRODUCER_FIXED.get(fixed) + "; do not override it");
            }
        }
        Map<String, Object> p = new LinkedHashMap<>(PRODUCER_DEFAULTS);
        p.putAll(properties);
        p.putAll(overrides);
        p.putAll(PRODUCER_FIXED);
        p.put("client.id", clientId);
        return p;
    }

    /** Consumer config: defaults, then the service's settings, then the loop's own. */
    public Map<String, Object> consumer(String clientId, Optional<String> group, Map<String, ?> overrides) {
        Map<String, Object> c = new LinkedHashMap<>(CONSUMER_DEFAULTS);
        c.putAll(properties);
        c.putAll(overrides);
        c.put("client.id", clientId);
        group.ifPresentOrElse(g -> c.put("group.id", g), () -> c.remove("group.id"));
        return c;
    }

    Map<String, Object> admin(String clientId) {
        return admin(clientId, Map.of());
    }

    Map<String, Object> admin(String clientId, Map<String, ?> overrides) {
        Map<String, Object> a = new LinkedHashMap<>(properties);
        a.putAll(overrides);
        a.put("client.id", clientId);
        return a;
    }

    private static void checkNotWeakened(Map<String, String> m, String key, String... allowed) {
        String v = m.get(key);
        if (v != null && java.util.Arrays.stream(allowed).noneMatch(a -> a.equalsIgnoreCase(v.strip()))) {
            throw new IllegalArgumentException("kafka." + key + "=" + v + " is refused: the platform's producers are"
                    + " acks=all with idempotence (a weaker setting can lose or duplicate task events)");
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
