package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.fixtures.llm.Reply;
import run.codetether.platform.secrets.FileSecretSource;

/**
 * Cache tokens as each provider reports them, through LangChain4j, into the task's usage and cost: the scripted
 * server speaks each wire in its own convention (OpenAI's and Gemini's prompt counts include the cached tokens,
 * Anthropic's and Bedrock's exclude reads and writes), and no token is charged twice.
 */
class CacheUsageWireTest {
    private static final int IN = 1_000_000;
    private static final int OUT = 100_000;
    private static final int READ = 2_000_000;

    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private LangChain4jProviders resolver(String provider, boolean streaming) {
        String url = switch (provider) {
            case "anthropic" -> h.llm.anthropicBaseUrl();
            case "google" -> h.llm.geminiBaseUrl();
            case "bedrock" -> h.llm.bedrockEndpoint();
            default -> h.llm.openAiBaseUrl();
        };
        return new LangChain4jProviders(Map.of(provider, ProviderSettings.defaults().withBaseUrl(url)
                .withStreaming(streaming)), Optional.empty(), new FileSecretSource(h.secrets), 0, Duration.ofSeconds(1));
    }

    @ParameterizedTest(name = "{0} streaming={1}")
    @CsvSource({
        // provider, streaming, cache writes scripted (only Anthropic and Bedrock report them), cost in USD
        // kimi-k2.5 $0.60 in / $2.50 out / $0.15 cache read: 0.60 + 0.25 + 0.30
        "moonshotai, true, 0, 1.15",
        "moonshotai, false, 0, 1.15",
        // claude-sonnet-4 $3 / $15 / $0.30 read / $3.75 write: 3 + 1.5 + 0.6 + 1.5
        "anthropic, true, 400000, 6.60",
        "anthropic, false, 400000, 6.60",
        // gemini-2.5-pro $1.25 / $10 / $0.31 read: 1.25 + 1 + 0.62
        "google, true, 0, 2.87",
        "google, false, 0, 2.87",
        "bedrock, true, 400000, 6.60",
        "bedrock, false, 400000, 6.60"})
    void cachedTokensAreTakenFromTheProviderAndPricedOnce(String provider, boolean streaming, int writes,
            double expectedUsd) {
        h.llm.enqueue(Reply.text("cached").withUsage(IN, OUT).withCache(READ, writes));
        String taskId = "t-" + provider + "-" + streaming;
        h.run(h.loop(resolver(provider, streaming)), new TaskCommand.StartTask(taskId, "c-" + taskId, null,
                Commands.start(taskId, "c", provider, "hi").message(), provider, null, null, null, null, null,
                Map.of(), null));

        TaskEvent.StatusChanged last = h.last(taskId);
        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        Usage u = last.progress().usage();
        assertEquals(IN, u.tokensIn(), () -> "input excludes the cached tokens: " + u);
        assertEquals(OUT, u.tokensOut());
        assertEquals(READ, u.cacheReadTokens(), () -> "cache reads: " + u);
        assertEquals(writes, u.cacheWriteTokens(), () -> "cache writes: " + u);
        assertTrue(u.priced());
        var price = ModelCatalog.builtIn().defaultOf(provider).orElseThrow().price();
        double catalog = price.cost(IN, OUT, READ, writes);
        assertEquals(Math.round(catalog * 100), Math.round(u.costUsd() * 100), () -> "cost " + u.costUsd());
        assertEquals(expectedUsd, u.costUsd(), 0.005, "usage x catalog price");
        @SuppressWarnings("unchecked")
        Map<String, Object> wire = (Map<String, Object>) last.metadata().get("usage");
        assertEquals((long) READ, ((Number) wire.get("cache_read_tokens")).longValue(), () -> "metadata " + wire);
        assertEquals((long) writes, ((Number) wire.get("cache_write_tokens")).longValue(), () -> "metadata " + wire);
    }

    @org.junit.jupiter.api.Test
    void eachModelTurnUpdateCarriesThatCallsUsageAndTheFinalStatusTheirSum() {
        h.llm.enqueue(Reply.tools(Reply.call("c1", "read_file", Map.of("path", "a.txt"))).withUsage(1_000, 10)
                .withCache(4_000, 0), Reply.text("done").withUsage(2_000, 20).withCache(8_000, 0));
        h.run(h.loop(resolver("moonshotai", true)), new TaskCommand.StartTask("t-turns", "c-turns", null,
                Commands.start("t-turns", "c", "moonshotai", "hi").message(), "moonshotai", null, null, null, null,
                null, Map.of(), null));

        var turns = h.events.of("t-turns").stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && !s.isFinal() && s.progress().usage() != null).map(e -> ((TaskEvent.StatusChanged) e).progress())
                .toList();
        // issue 18: the answering turn has no update of its own; the final status carries it in the task's total
        assertEquals(1, turns.size(), turns::toString);
        assertEquals(1_000, turns.get(0).usage().tokensIn());
        assertEquals(4_000, turns.get(0).usage().cacheReadTokens());
        var end = h.last("t-turns").progress();
        assertEquals(Integer.valueOf(2), end.step());
        Usage total = end.usage();
        assertEquals(3_000, total.tokensIn());
        assertEquals(12_000, total.cacheReadTokens());
        assertTrue(total.costUsd() > turns.get(0).usage().costUsd(), () -> "the answer's cost is in the total: " + total);
    }
}
