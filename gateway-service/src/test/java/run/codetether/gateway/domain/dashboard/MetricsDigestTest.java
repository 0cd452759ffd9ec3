package run.codetether.gateway.domain.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsDigestTest {
    /** The shape Micrometer's Prometheus registry writes for a timer with and without buckets. */
    static String scrape(int count, double sum, int fast, int slow) {
        return """
                # HELP codetether_agent_model_call_seconds
                # TYPE codetether_agent_model_call_seconds histogram
                codetether_agent_model_call_seconds_bucket{model="m",provider="p",le="0.1"} %d
                codetether_agent_model_call_seconds_bucket{model="m",provider="p",le="1.0"} %d
                codetether_agent_model_call_seconds_bucket{model="m",provider="p",le="+Inf"} %d
                codetether_agent_model_call_seconds_count{model="m",provider="p"} %d
                codetether_agent_model_call_seconds_sum{model="m",provider="p"} %s
                codetether_router_routes_total{routed="true",source="fast-path"} %d.0
                jvm_memory_used_bytes{area="heap",id="eden"} 1048576.0
                jvm_memory_used_bytes{area="nonheap",id="meta"} 9.0E7
                http_server_requests_seconds_count{method="GET",uri="/q/{x}",outcome="SUCCESS"} 3
                """.formatted(fast, fast + slow, count, count, sum, count);
    }

    @Test
    void parsesSamplesAndLabelsWithEscapesAndBraces() {
        PromSamples s = PromSamples.parse(scrape(10, 2.0, 8, 2) + "weird{a=\"x\\\"}y\",b=\"2\"} 7 1700000000000\nbroken line\n");
        assertEquals(1048576.0, s.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area"))));
        PromSamples.Sample w = s.named("weird").get(0);
        assertEquals(Map.of("a", "x\"}y", "b", "2"), w.labels());
        assertEquals(7.0, w.value());
        assertEquals(3.0, s.sum("http_server_requests_seconds_count"));
        assertEquals(List.of("codetether_router_routes"), s.families("codetether_router"));
    }

    @Test
    void quantilesComeFromTheBucketsOfTheInterval() {
        PromSamples before = PromSamples.parse(scrape(10, 2.0, 10, 0));
        PromSamples after = PromSamples.parse(scrape(20, 7.0, 15, 5)); // 10 new calls: 5 under 0.1 s, 5 under 1 s
        MetricsDigest.Latency l = MetricsDigest.latency(before, after, 5.0, "codetether_agent_model_call_seconds",
                x -> true);
        assertTrue(l.exported());
        assertEquals(0.1, l.p50(), 1e-9, "rank 5 of 10 is the top of the first bucket");
        assertEquals(0.1 + 0.9 * (9.9 - 5) / 5, l.p99(), 1e-9);
        assertEquals(0.5, l.mean(), 1e-9);
        assertEquals(2.0, l.perSecond(), 1e-9);
    }

    @Test
    void withoutBucketsOnlyTheMeanIsKnownAndSaidSo() {
        String noBuckets = "codetether_agent_model_call_seconds_count{p=\"x\"} 4\ncodetether_agent_model_call_seconds_sum{p=\"x\"} 2.0\n";
        MetricsDigest.Latency l = MetricsDigest.latency(null, PromSamples.parse(noBuckets), 0,
                "codetether_agent_model_call_seconds", x -> true);
        assertTrue(l.exported());
        assertNull(l.p50());
        assertEquals(0.5, l.mean(), 1e-9);
        assertTrue(l.note().contains("no histogram buckets"));
        MetricsDigest.Latency absent = MetricsDigest.latency(null, PromSamples.parse("x 1\n"), 0, "nope", x -> true);
        assertFalse(absent.exported());
    }

    @Test
    void countersGiveRatesAndARestartGivesNone() {
        PromSamples a = PromSamples.parse("c_total 10\n");
        PromSamples b = PromSamples.parse("c_total 40\n");
        assertEquals(6.0, MetricsDigest.rate(a, b, 5, "c_total", l -> true), 1e-9);
        assertNull(MetricsDigest.rate(b, a, 5, "c_total", l -> true));
        assertNull(MetricsDigest.rate(null, b, 5, "c_total", l -> true));
    }

    @Test
    void figuresNameWhatNoServiceExports() {
        var figures = PlatformFigures.of(Map.of(), Map.of("agent", PromSamples.parse(scrape(4, 1.0, 4, 0))), Map.of(),
                new TaskBoard.Stats(0, 0, 0, 0, 0, null), null);
        var byKey = new java.util.HashMap<String, PlatformFigures.Figure>();
        figures.forEach(f -> byKey.put(f.key(), f));
        assertTrue(byKey.get("model_call_p50").exported());
        assertFalse(byKey.get("admission_rejections").exported());
        assertFalse(byKey.get("sandbox_command_p50").exported());
        assertFalse(byKey.get("sandbox_active").exported());
        assertFalse(byKey.get("router_route_per_second").exported(), "no router scrape");
        assertFalse(byKey.get("kafka_lag_total").exported());
        assertEquals(1048576.0, byKey.get("heap_agent").value());
    }

    @Test
    void sandboxAndAdmissionFiguresComeFromToolsAndGatewayScrapes() {
        String tools = """
                codetether_tools_sandbox_commands_seconds_bucket{outcome="ok",le="0.1"} %d
                codetether_tools_sandbox_commands_seconds_bucket{outcome="ok",le="1.0"} %d
                codetether_tools_sandbox_commands_seconds_bucket{outcome="ok",le="+Inf"} %d
                codetether_tools_sandbox_commands_seconds_count{outcome="ok"} %d
                codetether_tools_sandbox_commands_seconds_sum{outcome="ok"} %s
                codetether_tools_sandbox_active 2.0
                """;
        String gateway = """
                codetether_gateway_admission_rejected_total{reason="rate_limited"} %d.0
                codetether_gateway_admission_rejected_total{reason="client_in_flight"} %d.0
                codetether_gateway_tasks_in_flight 7.0
                """;
        var previous = Map.of("tools", PromSamples.parse(tools.formatted(10, 10, 10, 10, "0.5")),
                "gateway", PromSamples.parse(gateway.formatted(1, 1)));
        var current = Map.of("tools", PromSamples.parse(tools.formatted(30, 40, 40, 40, "6.5")),
                "gateway", PromSamples.parse(gateway.formatted(11, 21)));
        var figures = PlatformFigures.of(previous, current, Map.of("tools", 10.0, "gateway", 10.0),
                new TaskBoard.Stats(0, 0, 0, 0, 0, null), null);
        var byKey = new java.util.HashMap<String, PlatformFigures.Figure>();
        figures.forEach(f -> byKey.put(f.key(), f));
        assertEquals(3.0, byKey.get("sandbox_command_per_second").value(), 1e-9, "30 commands in 10 s");
        assertEquals(0.2, byKey.get("sandbox_command_mean").value(), 1e-9, "6 s over 30 commands");
        assertTrue(byKey.get("sandbox_command_p50").exported());
        assertEquals(2.0, byKey.get("sandbox_active").value());
        assertEquals(3.0, byKey.get("admission_rejections").value(), 1e-9, "30 refusals in 10 s");
        assertEquals(7.0, byKey.get("tasks_in_flight").value());
    }
}
