package run.codetether.gateway.domain.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape of a service's Prometheus text exposition ({@code /q/metrics}), parsed. Only samples are kept (HELP and
 * TYPE lines are skipped); a line that does not parse is skipped, never fatal, so an exporter's new syntax cannot
 * blank the dashboard.
 */
public record PromSamples(List<Sample> samples) {

    public record Sample(String name, Map<String, String> labels, double value) {}

    public PromSamples {
        samples = List.copyOf(samples);
    }

    public static PromSamples parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Sample s = parseLine(l);
            if (s != null) {
                out.add(s);
            }
        }
        return new PromSamples(out);
    }

    private static Sample parseLine(String l) {
        int brace = l.indexOf('{');
        int space = l.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        String rest;
        if (brace >= 0 && brace < space) {
            name = l.substring(0, brace);
            int close = labelsEnd(l, brace);
            if (close < 0) {
                return null;
            }
            parseLabels(l.substring(brace + 1, close), labels);
            rest = l.substring(close + 1).strip();
        } else {
            name = l.substring(0, space);
            rest = l.substring(space + 1).strip();
        }
        String number = rest.split("\\s+")[0];
        try {
            return new Sample(name, labels, switch (number) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(number);
            });
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The closing brace of the label set, skipping braces inside quoted values. */
    private static int labelsEnd(String l, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static void parseLabels(String s, Map<String, String> out) {
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                return;
            }
            String key = s.substring(i, eq).strip();
            if (key.startsWith(",")) {
                key = key.substring(1).strip();
            }
            int q = s.indexOf('"', eq);
            if (q < 0) {
                return;
            }
            StringBuilder v = new StringBuilder();
            int j = q + 1;
            for (; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < s.length()) {
                    char n = s.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    break;
                } else {
                    v.append(c);
                }
            }
            out.put(key, v.toString());
            i = j + 1;
            while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    public boolean has(Predicate<String> name) {
        return samples.stream().anyMatch(s -> name.test(s.name()));
    }

    /** Sum of every sample of the metric whose labels pass the filter (0 when none). */
    public double sum(String name, Predicate<Map<String, String>> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels()))
                .mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).sum();
    }

    public double sum(String name) {
        return sum(name, l -> true);
    }

    /** Names of the metric families present that start with the prefix (suffixes _count/_sum/... folded). */
    public List<String> families(String prefix) {
        return samples.stream().map(Sample::name).filter(n -> n.startsWith(prefix))
                .map(n -> n.replaceAll("_(count|sum|max|bucket|total)$", "")).distinct().sorted().toList();
    }
}
