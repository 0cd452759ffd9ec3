package run.codetether.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Typed configuration of the router-service, prefix {@code codetether.router}. The original's
 * {@code CODETETHER_TOOL_ROUTER_*} environment names are mapped onto these keys in application.properties.
 */
@ConfigMapping(prefix = "codetether.router")
public interface RouterConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** Load and use the model ({@code CODETETHER_TOOL_ROUTER_ENABLED}); default false, as in the original. */
    @WithDefault("false")
    boolean enabled();

    /** The decoder-with-past .onnx file ({@code CODETETHER_TOOL_ROUTER_MODEL_PATH}); no default. */
    Optional<String> modelPath();

    /** The model's tokenizer.json ({@code CODETETHER_TOOL_ROUTER_TOKENIZER_PATH}); no default. */
    Optional<String> tokenizerPath();

    /** Prompt format: gemma3 (JSON {@code <tool_call>}) or functiongemma ({@code CODETETHER_TOOL_ROUTER_ARCH}); default gemma3. */
    @WithDefault("gemma3")
    String arch();

    /** auto, cpu or cuda ({@code CODETETHER_TOOL_ROUTER_DEVICE}); default auto. */
    @WithDefault("auto")
    String device();

    /** Default token budget of one answer ({@code CODETETHER_TOOL_ROUTER_MAX_TOKENS}); default 512. */
    @WithDefault("512")
    int maxTokens();

    /** Default sampling temperature, 0 = greedy ({@code CODETETHER_TOOL_ROUTER_TEMPERATURE}); default 0.1. */
    @WithDefault("0.1")
    float temperature();

    /** Default time limit of one Route call, queueing included; default 30s. */
    @WithDefault("30s")
    Duration timeout();

    /** Largest text accepted by Route, in characters; default 65536. */
    @WithDefault("65536")
    int maxTextChars();

    /** ONNX Runtime intra-op threads, 0 = its default (all cores); default 0. */
    @WithDefault("0")
    int intraOpThreads();

    /** Run one short generation after loading so the first request is not the slow one; default true. */
    @WithDefault("true")
    boolean warmUp();

    /** Dynamic batching. */
    Batch batch();

    interface Batch {
        /** Most requests decoded together; default 8. */
        @WithDefault("8")
        int maxSize();

        /** How long the first request of a batch waits for company; default 2ms. */
        @WithDefault("2ms")
        Duration maxWait();
    }
}
