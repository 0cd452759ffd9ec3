package run.codetether.contracts.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * THE model catalog: context window, max output, tool-call support and prices (USD per million tokens) per
 * provider/model, one versioned JSON document ({@code catalog.json} beside this class) that the gateway
 * ({@code GET /v1/models}), the CLI ({@code codetether models}) and the agent (cost of each call) all read, so a
 * figure shown is the figure charged. A deployment replaces it without a rebuild by pointing
 * {@code codetether.models.catalog} at a file or an http(s) URL of the same shape. Immutable.
 *
 * @param version {@code catalog_version}, shown with every listing so a figure can be traced to its source
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCatalog(@JsonProperty("catalog_version") String version, List<Provider> providers,
        List<Model> models) {
    /** The platform's mapper, stricter in one point: a price or window given as null is an error, not 0. */
    private static final ObjectMapper JSON = run.codetether.contracts.events.ContractJson.mapper().copy()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    private static final String RESOURCE = "catalog.json";
    private static final ModelCatalog BUILT_IN = readBuiltIn();

    public ModelCatalog {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("model catalog without catalog_version");
        }
        providers = providers == null ? List.of() : List.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
    }

    /**
     * A provider a task may name. The built-in document is THE provider list of the platform: {@code platform}'s
     * {@code ProviderCatalog} (which agent-service and swarm-service resolve through) is built from it, so a new
     * provider is one entry here.
     *
     * @param protocol the wire protocol ({@code openai-compatible}, {@code anthropic}, {@code gemini},
     *     {@code bedrock}, {@code azure-openai}); null in a deployment's document that lists prices only
     * @param baseUrl null where the deployment must set one
     * @param defaultModel null where the deployment must set one
     * @param keyRequired whether a call needs a stored key (false for servers usually run without auth); null = true
     * @param baseUrlEnv the environment variable that sets the base URL, where there is one ({@code local})
     * @param modelEnv the environment variable that sets the model, where there is one ({@code local})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Provider(String name, String protocol, @JsonProperty("base_url") String baseUrl,
            @JsonProperty("default_model") String defaultModel, @JsonProperty("key_required") Boolean keyRequired,
            @JsonProperty("base_url_env") String baseUrlEnv, @JsonProperty("model_env") String modelEnv) {}

    /**
     * USD per million tokens; cache prices are null where the provider has no such price. Input and output left out
     * or null fail the parse (the mapper's null-for-primitives rule), and a negative price fails here: either would
     * otherwise charge less than the provider does.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Price(double input, double output, @JsonProperty("cache_read") Double cacheRead,
            @JsonProperty("cache_write") Double cacheWrite) {

        public Price {
            for (Double p : new Double[] {input, output, cacheRead, cacheWrite}) {
                if (p != null && !(p >= 0 && Double.isFinite(p))) {
                    throw new IllegalArgumentException("a price is a USD amount per million tokens >= 0, not negative"
                            + " or infinite: " + p);
                }
            }
        }

        /** The cost of the tokens; cache reads/writes fall back to the input price where none is listed. */
        public double cost(long in, long out, long cacheRead, long cacheWrite) {
            return (in * input + out * output + cacheRead * (this.cacheRead == null ? input : this.cacheRead)
                    + cacheWrite * (this.cacheWrite == null ? input : this.cacheWrite)) / 1_000_000d;
        }
    }

    /**
     * One model; {@code price} null = unpriced (a local server, a subscription), never free.
     *
     * @param vision whether the model reads images (an MCP tool's image result is sent to it as an image part);
     *     null or false: it gets a text line naming the image instead, since a model without image input refuses
     *     the whole request when one is sent
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Model(String provider, String id, @JsonProperty("context_window") int contextWindow,
            @JsonProperty("max_output") int maxOutput, @JsonProperty("tool_calls") boolean toolCalls, Price price,
            @JsonProperty("default") boolean isDefault, Boolean vision) {

        public Model(String provider, String id, int contextWindow, int maxOutput, boolean toolCalls, Price price,
                boolean isDefault) {
            this(provider, id, contextWindow, maxOutput, toolCalls, price, isDefault, null);
        }

        /** True only where the catalog says the model takes images. */
        public boolean takesImages() {
            return Boolean.TRUE.equals(vision);
        }
    }

    public static ModelCatalog builtIn() {
        return BUILT_IN;
    }

    /**
     * The catalog at {@code location} (a file path, {@code file:} or {@code http(s):} URL), or the built-in one when
     * empty. A location that cannot be read or parsed throws: a deployment that asked for its own prices must not
     * silently charge by others.
     */
    public static ModelCatalog load(Optional<String> location) {
        if (location.isEmpty() || location.get().isBlank()) {
            return BUILT_IN;
        }
        String loc = location.get().strip();
        try {
            if (loc.startsWith("http://") || loc.startsWith("https://")) {
                HttpResponse<byte[]> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                        .send(HttpRequest.newBuilder(URI.create(loc)).timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("model catalog " + loc + ": HTTP " + r.statusCode());
                }
                return parse(r.body(), loc);
            }
            Path p = loc.startsWith("file:") ? Path.of(URI.create(loc)) : Path.of(loc);
            return parse(Files.readAllBytes(p), loc);
        } catch (IOException e) {
            throw new IllegalStateException("model catalog " + loc + " cannot be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading model catalog " + loc, e);
        }
    }

    static ModelCatalog parse(byte[] json, String where) {
        try {
            return JSON.readValue(json, ModelCatalog.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("model catalog " + where + " is not a valid catalog: " + e.getMessage(), e);
        }
    }

    private static ModelCatalog readBuiltIn() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in model catalog " + RESOURCE + " is missing from the jar");
            }
            return parse(in.readAllBytes(), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Model> find(String provider, String model) {
        return models.stream().filter(m -> m.provider().equals(provider) && m.id().equals(model)).findFirst();
    }

    /** The provider's default model per this catalog. */
    public Optional<Model> defaultOf(String provider) {
        return models.stream().filter(m -> m.provider().equals(provider) && m.isDefault()).findFirst();
    }
}
