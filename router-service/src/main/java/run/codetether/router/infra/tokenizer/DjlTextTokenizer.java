package run.codetether.router.infra.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import run.codetether.router.domain.decode.TextTokenizer;

/**
 * The model's own tokenizer.json through DJL's binding of HuggingFace tokenizers. Truncation is off: DJL would
 * otherwise cut prompts at 512 tokens without a word when no tokenizer_config.json lies beside the file.
 * Thread-safe (the native tokenizer is immutable once loaded).
 */
public final class DjlTextTokenizer implements TextTokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private DjlTextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static DjlTextTokenizer load(Path tokenizerJson) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer.json not found: " + tokenizerJson);
        }
        // DJL calls home (cloud metadata address + telemetry) unless told not to; this service never does
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        return new DjlTextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "truncation", "false",
                "padding", "false",
                "addSpecialTokens", "true",
                "maxLength", String.valueOf(Integer.MAX_VALUE / 2))));
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    /** The text of each id on its own, special tokens written out (one native call). */
    public String[] decodeEach(int size) {
        long[][] ids = new long[size][1];
        for (int i = 0; i < size; i++) {
            ids[i][0] = i;
        }
        return tokenizer.batchDecode(ids, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
