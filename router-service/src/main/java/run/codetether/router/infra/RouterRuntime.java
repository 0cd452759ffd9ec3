package run.codetether.router.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import run.codetether.router.config.RouterConfig;
import run.codetether.router.domain.ModelRouter;
import run.codetether.router.domain.ModelState;
import run.codetether.router.domain.RouterService;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.decode.BatchDecoder;
import run.codetether.router.domain.prompt.PromptFormat;
import run.codetether.router.infra.onnx.DevicePreference;
import run.codetether.router.infra.onnx.OnnxCausalLm;
import run.codetether.router.infra.tokenizer.DjlTextTokenizer;
import run.codetether.router.infra.tokenizer.VocabularyLoader;

/**
 * Owns the model: loads it at startup, keeps the service up when it cannot (the router is then "degraded": the
 * fast path still works and Route answers routed=false with the reason), and closes it at shutdown.
 */
@ApplicationScoped
public class RouterRuntime {

    private static final Logger LOG = Logger.getLogger(RouterRuntime.class);

    /** What ModelInfo and health report. */
    public record Info(boolean loaded, boolean warm, String loadError, String device, String executionProvider,
            int vocabSize) {}

    private final RouterConfig config;
    private final RouterService service;
    private volatile ModelState state = new ModelState.Unavailable("router model is still loading");
    private volatile Info info = new Info(false, false, "", "cpu", "", 0);
    private DjlTextTokenizer tokenizer;
    private OnnxCausalLm model;

    public RouterRuntime(RouterConfig config) {
        this.config = config;
        this.service = new RouterService(() -> state);
    }

    void onStart(@Observes StartupEvent event) {
        load();
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    public RouterService service() {
        return service;
    }

    public ModelState state() {
        return state;
    }

    public Info info() {
        return info;
    }

    synchronized void load() {
        PromptFormat format;
        try {
            format = PromptFormat.of(config.arch());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        if (!config.enabled()) {
            fail("router model disabled (CODETETHER_TOOL_ROUTER_ENABLED=false); only the fast path runs");
            return;
        }
        if (config.modelPath().isEmpty() || config.tokenizerPath().isEmpty()) {
            fail("CODETETHER_TOOL_ROUTER_MODEL_PATH and CODETETHER_TOOL_ROUTER_TOKENIZER_PATH are required when "
                    + "the router is enabled");
            return;
        }
        Path modelPath = Path.of(config.modelPath().get());
        Path tokenizerPath = Path.of(config.tokenizerPath().get());
        long start = System.nanoTime();
        try {
            DevicePreference device = DevicePreference.of(config.device());
            tokenizer = DjlTextTokenizer.load(tokenizerPath);
            model = OnnxCausalLm.load(modelPath, device, config.intraOpThreads(), 0, true);
            VocabularyLoader.Loaded vocab = VocabularyLoader.load(tokenizerPath, tokenizer, model.vocabSize());
            model.padWith(vocab.padId());
            BatchDecoder decoder = new BatchDecoder(model, vocab.vocabulary(), config.batch().maxSize(),
                    config.batch().maxWait());
            ModelRouter router = new ModelRouter(format, tokenizer, decoder);
            info = new Info(true, false, "", model.device(), model.executionProvider(), model.vocabSize());
            state = new ModelState.Ready(router);
            LOG.infof("tool router ready: model=%s arch=%s device=%s provider=%s layers=%d vocab=%d trie=%d nodes, "
                            + "max batch %d, loaded in %d ms", modelPath, format.id(), model.device(),
                    model.executionProvider(), model.layers(), model.vocabSize(), vocab.vocabulary().trieNodes(),
                    config.batch().maxSize(), (System.nanoTime() - start) / 1_000_000);
            if (config.warmUp()) {
                warmUp(router);
            }
        } catch (Exception | LinkageError e) {
            LOG.warnf(e, "tool router degraded: model could not be loaded from %s", modelPath);
            closeModel();
            fail("router model failed to load from " + modelPath + ": " + e.getMessage());
        }
    }

    private void warmUp(ModelRouter router) {
        try {
            ToolSpec probe = new ToolSpec("noop", "", null,
                    run.codetether.router.domain.schema.SchemaParser.parseArguments(null));
            router.generate("warm up", List.of(probe), 4, 0f, Duration.ofSeconds(60)).join();
            info = new Info(true, true, "", info.device(), info.executionProvider(), info.vocabSize());
        } catch (RuntimeException e) {
            LOG.warn("router warm-up generation failed; the model stays loaded", e);
        }
    }

    private void fail(String reason) {
        state = new ModelState.Unavailable(reason);
        info = new Info(false, false, reason, "cpu", "", 0);
        LOG.warn("tool router degraded: " + reason);
    }

    synchronized void close() {
        if (state instanceof ModelState.Ready ready) {
            ready.router().close();
        }
        state = new ModelState.Unavailable("router is shutting down");
        closeModel();
    }

    private void closeModel() {
        if (model != null) {
            model.close();
            model = null;
        }
        if (tokenizer != null) {
            tokenizer.close();
            tokenizer = null;
        }
    }
}
