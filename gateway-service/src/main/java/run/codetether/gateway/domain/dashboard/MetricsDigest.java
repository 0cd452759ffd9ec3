package run.codetether.gateway.domain.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Figures an operator reads from two scrapes of one service: rates of counters and latency quantiles of timers over
 * the interval between them. A figure that the service does not export says so ({@code exported=false}) instead of
 * showing a zero.
 */
public final class MetricsDigest {
    private MetricsDigest() {}

    /**
     * Latency of one timer family over the interval.
     *
     * @param p50 seconds, null when the service exports no histogram buckets (then only the mean is known)
     * @param perSecond calls per second over the interval, null on the first scrape
     */
    public record Latency(boolean exported, Double p50, Double p99, Double mean, Double perSecond, long count,
            String note) {
        static Latency absent(String family) {
            return new Latency(false, null, null, null, null, 0, family + " is not exported by this service yet");
        }
    }

    /** @param previous the scrape before (null: figures since the service started) */
    public static Latency latency(PromSamples previous, PromSamples current, double seconds, String family,
            Predicate<Map<String, String>> labels) {
        if (current == null || current.named(family + "_count").isEmpty()) {
            return Latency.absent(family);
        }
        double count = current.sum(family + "_count", labels);
        double sum = current.sum(family + "_sum", labels);
        TreeMap<Double, Double> buckets = buckets(current, family, labels);
        Double rate = null;
        if (previous != null && !previous.named(family + "_count").isEmpty() && seconds > 0) {
            double dc = count - previous.sum(family + "_count", labels);
            if (dc >= 0) {
                rate = dc / seconds;
                if (dc > 0) {
                    sum -= previous.sum(family + "_sum", labels);
                    count = dc;
                    TreeMap<Double, Double> before = buckets(previous, family, labels);
                    buckets.replaceAll((le, v) -> v - before.getOrDefault(le, 0.0));
                }
            }
        }
        Double mean = count > 0 ? sum / count : null;
        if (buckets.isEmpty()) {
            return new Latency(true, null, null, mean, rate, (long) count,
                    "no histogram buckets exported: p50/p99 unknown, mean shown");
        }
        return new Latency(true, quantile(buckets, 0.5), quantile(buckets, 0.99), mean, rate, (long) count, null);
    }

    /** Increase per second of a counter (summed over matching series), null without a previous scrape or series. */
    public static Double rate(PromSamples previous, PromSamples current, double seconds, String name,
            Predicate<Map<String, String>> labels) {
        if (previous == null || current == null || seconds <= 0 || current.named(name).isEmpty()) {
            return null;
        }
        double d = current.sum(name, labels) - previous.sum(name, labels);
        return d < 0 ? null : d / seconds; // a restart resets counters: no rate for that interval
    }

    /** Cumulative bucket counts by upper bound, summed over the matching series. */
    static TreeMap<Double, Double> buckets(PromSamples samples, String family, Predicate<Map<String, String>> labels) {
        TreeMap<Double, Double> out = new TreeMap<>();
        for (PromSamples.Sample s : samples.named(family + "_bucket")) {
            if (!labels.test(s.labels()) || !s.labels().containsKey("le")) {
                continue;
            }
            String le = s.labels().get("le");
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            out.merge(bound, s.value(), Double::sum);
        }
        return out;
    }

    /** Prometheus' histogram_quantile: linear interpolation inside the bucket that holds the rank. */
    static Double quantile(TreeMap<Double, Double> cumulative, double q) {
        List<Map.Entry<Double, Double>> b = new ArrayList<>(cumulative.entrySet());
        if (b.isEmpty()) {
            return null;
        }
        double total = b.get(b.size() - 1).getValue();
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : b) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound; // the highest finite bound is the best known answer
                }
                double inBucket = e.getValue() - lowerCount;
                return inBucket <= 0 ? e.getKey()
                        : lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }
}
