package run.codetether.router.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import run.codetether.platform.json.Json;
import run.codetether.router.domain.RouteResult.Timings;
import run.codetether.router.domain.decode.Generation;
import run.codetether.router.domain.fastpath.FastPathExtractor;
import run.codetether.router.domain.grammar.CallParser;
import run.codetether.router.domain.grammar.CallParser.ParsedCall;
import run.codetether.router.domain.schema.SchemaValidator;

/**
 * Routing: the fast path first, then the model. Never throws for a routing failure: every failure is a
 * {@code routed=false} result with a reason, so the caller keeps its text. Thread-safe.
 */
public final class RouterService {

    private static final Logger LOG = Logger.getLogger(RouterService.class);

    private final Supplier<ModelState> model;

    public RouterService(Supplier<ModelState> model) {
        this.model = model;
    }

    public CompletableFuture<RouteResult> route(RouteCommand command) {
        long start = System.nanoTime();
        if (command.tools().isEmpty()) {
            return done(RouteResult.notRouted("no tools offered", Timings.only(ms(start))));
        }
        if (command.text().isBlank()) {
            return done(RouteResult.notRouted("empty text", Timings.only(ms(start))));
        }
        Map<String, ToolSpec> tools = new LinkedHashMap<>();
        command.tools().forEach(t -> tools.put(t.name(), t));
        String fastPathNote = "";
        if (!command.disableFastPath()) {
            FastPathExtractor.Result fast = FastPathExtractor.extract(command.text(), tools);
            if (fast.found()) {
                return done(RouteResult.routed(fast.calls(), "fast_path", Timings.only(ms(start))));
            }
            if (!fast.problems().isEmpty()) {
                fastPathNote = "; fast path declined: " + String.join("; ", fast.problems());
            }
        }
        String note = fastPathNote;
        return switch (model.get()) {
            case ModelState.Unavailable u -> done(RouteResult.notRouted(u.reason() + note, Timings.only(ms(start))));
            case ModelState.Ready ready -> {
                CompletableFuture<Generation> generation;
                try {
                    generation = ready.router().generate(command.text(), command.tools(), command.maxTokens(),
                            command.temperature(), command.timeout());
                } catch (RuntimeException e) {
                    LOG.warn("router could not start a generation", e);
                    yield done(RouteResult.notRouted("model error: " + e.getMessage() + note, Timings.only(ms(start))));
                }
                yield generation.handle((gen, error) -> error != null
                        ? failed(error, command, start, note)
                        : fromGeneration(gen, ready.router(), tools, command, start, note));
            }
        };
    }

    private static RouteResult failed(Throwable error, RouteCommand command, long start, String note) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return RouteResult.notRouted("timeout after " + command.timeout().toMillis() + " ms" + note,
                    Timings.only(ms(start)));
        }
        LOG.warn("router model failed", cause);
        return RouteResult.notRouted("model error: " + cause + note, Timings.only(ms(start)));
    }

    private static RouteResult fromGeneration(Generation gen, ModelRouter router, Map<String, ToolSpec> tools,
            RouteCommand command, long start, String note) {
        Timings timings = new Timings(gen.queueMs(), gen.prefillMs(), gen.decodeMs(), ms(start), gen.promptTokens(),
                gen.generatedTokens(), gen.batchSize());
        String reason = switch (gen.stop()) {
            case DEADLINE -> "timeout after " + command.timeout().toMillis() + " ms";
            case DEAD_END -> "no token of the vocabulary continues the call grammar";
            case MAX_TOKENS -> gen.completeCalls() > 0 ? null
                    : "max_tokens (" + command.maxTokens() + ") reached before a call was complete";
            case END -> gen.completeCalls() > 0 ? null : "model chose no call";
        };
        if (reason != null) {
            return RouteResult.notRouted(reason + note, timings);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (ParsedCall call : CallParser.parse(gen.callText(), router.format().dialect())) {
            ToolSpec tool = tools.get(call.name());
            List<String> errors = tool == null ? List.of("unknown tool " + call.name())
                    : SchemaValidator.validate(call.arguments(), tool.arguments());
            if (!errors.isEmpty()) {
                // the grammar should make this impossible: say so loudly instead of routing an invalid call
                LOG.errorf("constrained output failed validation: %s in %s", errors, gen.symbols());
                return RouteResult.notRouted("internal error: generated call failed validation: " + errors, timings);
            }
            calls.add(new ToolCall(call.name(), Json.write(call.arguments())));
        }
        return RouteResult.routed(calls, "model", timings);
    }

    private static CompletableFuture<RouteResult> done(RouteResult result) {
        return CompletableFuture.completedFuture(result);
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
