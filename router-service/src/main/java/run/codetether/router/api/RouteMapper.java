package run.codetether.router.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import run.codetether.contracts.router.v1.RouteRequest;
import run.codetether.contracts.router.v1.RouteResponse;
import run.codetether.contracts.router.v1.RouteTimings;
import run.codetether.platform.json.Json;
import run.codetether.router.config.RouterConfig;
import run.codetether.router.domain.InvalidRouteRequestException;
import run.codetether.router.domain.RouteCommand;
import run.codetether.router.domain.RouteResult;
import run.codetether.router.domain.ToolCall;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.schema.SchemaParser;

/** Wire (router.proto) to domain and back; rejects malformed requests with {@link InvalidRouteRequestException}. */
final class RouteMapper {

    static final int MAX_TOOLS = 256;
    static final int MAX_TOKENS_LIMIT = 8192;

    private RouteMapper() {}

    static RouteCommand toCommand(RouteRequest request, RouterConfig config) {
        if (request.getText().length() > config.maxTextChars()) {
            throw new InvalidRouteRequestException("text is " + request.getText().length()
                    + " characters; the limit is " + config.maxTextChars());
        }
        if (request.getToolsCount() > MAX_TOOLS) {
            throw new InvalidRouteRequestException("at most " + MAX_TOOLS + " tools per request");
        }
        List<ToolSpec> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (var tool : request.getToolsList()) {
            String name = tool.getName();
            if (name.isBlank()) {
                throw new InvalidRouteRequestException("a tool has an empty name");
            }
            if (!names.add(name)) {
                throw new InvalidRouteRequestException("tool '" + name + "' is offered twice");
            }
            tools.add(toolSpec(name, tool.getDescription(), tool.getParametersJsonSchema()));
        }
        int maxTokens = config.maxTokens();
        float temperature = config.temperature();
        Duration timeout = config.timeout();
        boolean disableFastPath = false;
        if (request.hasOptions()) {
            var options = request.getOptions();
            if (options.getMaxTokens() < 0 || options.getMaxTokens() > MAX_TOKENS_LIMIT) {
                throw new InvalidRouteRequestException("max_tokens must be 0 (default) to " + MAX_TOKENS_LIMIT);
            }
            if (Float.isNaN(options.getTemperature()) || Float.isInfinite(options.getTemperature())) {
                throw new InvalidRouteRequestException("temperature must be a finite number");
            }
            if (options.getTimeoutMs() < 0) {
                throw new InvalidRouteRequestException("timeout_ms must not be negative");
            }
            maxTokens = options.getMaxTokens() == 0 ? maxTokens : options.getMaxTokens();
            temperature = options.getTemperature() < 0 ? temperature : options.getTemperature();
            timeout = options.getTimeoutMs() == 0 ? timeout : Duration.ofMillis(options.getTimeoutMs());
            disableFastPath = options.getDisableFastPath();
        }
        return new RouteCommand(request.getText(), tools, maxTokens, temperature, timeout, disableFastPath);
    }

    static ToolSpec toolSpec(String name, String description, String schemaJson) {
        JsonNode schema = null;
        if (!schemaJson.isBlank()) {
            try {
                schema = Json.parse(schemaJson);
            } catch (JsonProcessingException e) {
                throw new InvalidRouteRequestException("tool '" + name + "': parameters_json_schema is not valid "
                        + "JSON: " + e.getOriginalMessage());
            }
        }
        try {
            return new ToolSpec(name, description, schema, SchemaParser.parseArguments(schema));
        } catch (IllegalArgumentException e) {
            throw new InvalidRouteRequestException("tool '" + name + "': " + e.getMessage());
        }
    }

    static RouteResponse toResponse(RouteResult result) {
        RouteResult.Timings t = result.timings();
        RouteResponse.Builder out = RouteResponse.newBuilder()
                .setRouted(result.routed())
                .setSource(result.source())
                .setFallbackReason(result.fallbackReason())
                .setTimings(RouteTimings.newBuilder()
                        .setQueueMs(t.queueMs())
                        .setPrefillMs(t.prefillMs())
                        .setDecodeMs(t.decodeMs())
                        .setTotalMs(t.totalMs())
                        .setPromptTokens(t.promptTokens())
                        .setGeneratedTokens(t.generatedTokens())
                        .setBatchSize(t.batchSize()));
        for (ToolCall call : result.calls()) {
            out.addCalls(run.codetether.contracts.router.v1.ToolCall.newBuilder()
                    .setName(call.name())
                    .setArgumentsJson(call.argumentsJson()));
        }
        return out.build();
    }
}
