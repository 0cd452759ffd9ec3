package run.codetether.router.infra.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import run.codetether.router.domain.decode.CausalLm;

/**
 * A decoder in HuggingFace Optimum's "decoder with past" ONNX layout ({@code input_ids}, {@code attention_mask},
 * optional {@code position_ids}, {@code past_key_values.N.key|value} in; {@code logits}, {@code present.N.key|value}
 * out). Layer count, KV heads, head size and KV dtype come from the model's own input metadata, so the same code
 * runs the test fixture and a real export. Batches are left-padded with the attention mask set to 0 on padding and
 * {@code position_ids = cumsum(mask) - 1} (padding at 1), as transformers does.
 */
public final class OnnxCausalLm implements CausalLm {

    private static final Logger LOG = Logger.getLogger(OnnxCausalLm.class);
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.key");

    private final OrtEnvironment env;
    private final OrtSession session;
    private final int layers;
    private final long kvHeads;
    private final long headDim;
    private final OnnxJavaType kvType;
    private final boolean positionIds;
    private final String logitsToKeep;
    private volatile long padId;
    private final boolean useCache;
    private final String executionProvider;
    private int vocab;

    private OnnxCausalLm(OrtEnvironment env, OrtSession session, long padId, boolean useCache, String provider)
            throws OrtException {
        this.env = env;
        this.session = session;
        this.padId = padId;
        this.useCache = useCache;
        this.executionProvider = provider;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        for (String required : new String[] {"input_ids", "attention_mask"}) {
            if (!inputs.containsKey(required)) {
                throw new IllegalArgumentException("model has no '" + required + "' input; inputs: " + inputs.keySet());
            }
        }
        int count = 0;
        for (String name : inputs.keySet()) {
            Matcher m = PAST.matcher(name);
            if (m.matches()) {
                count = Math.max(count, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("model has no past_key_values.* inputs: export it as a decoder "
                    + "with past (optimum-cli export onnx --task text-generation-with-past)");
        }
        this.layers = count;
        TensorInfo past = (TensorInfo) inputs.get("past_key_values.0.key").getInfo();
        long[] shape = past.getShape();
        if (shape.length != 4 || shape[1] <= 0 || shape[3] <= 0) {
            throw new IllegalArgumentException("past_key_values.0.key must be [batch, kv_heads, past, head_dim] with "
                    + "fixed kv_heads and head_dim, got " + java.util.Arrays.toString(shape));
        }
        this.kvHeads = shape[1];
        this.headDim = shape[3];
        this.kvType = past.type;
        if (kvType != OnnxJavaType.FLOAT && kvType != OnnxJavaType.FLOAT16) {
            throw new IllegalArgumentException("unsupported KV cache type " + kvType + " (float32 or float16)");
        }
        this.positionIds = inputs.containsKey("position_ids");
        this.logitsToKeep = inputs.containsKey("logits_to_keep") ? "logits_to_keep"
                : inputs.containsKey("num_logits_to_keep") ? "num_logits_to_keep" : null;
        TensorInfo logits = (TensorInfo) session.getOutputInfo().get("logits").getInfo();
        long[] logitsShape = logits.getShape();
        this.vocab = logitsShape.length == 3 && logitsShape[2] > 0 ? (int) logitsShape[2] : -1;
    }

    /**
     * Loads a model. DEVICE=cuda fails when CUDA cannot be enabled; auto falls back to the CPU and logs why.
     *
     * @param useCache false only for verification (recomputes the whole sequence every step)
     */
    public static OnnxCausalLm load(Path model, DevicePreference device, int intraOpThreads, long padId,
            boolean useCache) throws OrtException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file not found: " + model);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String provider = "CPUExecutionProvider";
        OrtSession.SessionOptions options = options(intraOpThreads);
        if (device != DevicePreference.CPU) {
            String why;
            if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                try {
                    options.addCUDA(0);
                    provider = "CUDAExecutionProvider";
                    why = null;
                } catch (OrtException e) {
                    why = e.getMessage();
                    options.close();
                    options = options(intraOpThreads);
                }
            } else {
                why = "this build's ONNX Runtime has no CUDA execution provider (build router-service with -Pcuda)";
            }
            if (why != null) {
                if (device == DevicePreference.CUDA) {
                    options.close();
                    throw new IllegalStateException("DEVICE=cuda but CUDA is unavailable: " + why);
                }
                LOG.infof("router device auto: CUDA unavailable (%s), using the CPU", why);
            }
        }
        try {
            OrtSession session = env.createSession(model.toString(), options);
            return new OnnxCausalLm(env, session, padId, useCache, provider);
        } finally {
            options.close();
        }
    }

    private static OrtSession.SessionOptions options(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (intraOpThreads > 0) {
            options.setIntraOpNumThreads(intraOpThreads);
        }
        return options;
    }

    /** The id written into padding positions (masked out, so any id works; the tokenizer's pad id is tidy). */
    public void padWith(long id) {
        this.padId = id;
    }

    public String executionProvider() {
        return executionProvider;
    }

    public String device() {
        return executionProvider.startsWith("CUDA") ? "cuda" : "cpu";
    }

    public int layers() {
        return layers;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public Session start(long[][] prompts) throws OrtException {
        return useCache ? new CachedSession(prompts) : new UncachedSession(prompts);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the ONNX session failed", e);
        }
    }

    /** Left-padded ids, mask and positions of a batch. */
    private record Padded(long[] ids, long[] mask, long[] positions, int width, long[] lastPosition) {
        static Padded of(long[][] rows, long pad) {
            int width = 1;
            for (long[] row : rows) {
                width = Math.max(width, row.length);
            }
            int b = rows.length;
            long[] ids = new long[b * width];
            long[] mask = new long[b * width];
            long[] pos = new long[b * width];
            long[] last = new long[b];
            for (int r = 0; r < b; r++) {
                int offset = width - rows[r].length;
                for (int i = 0; i < width; i++) {
                    int at = r * width + i;
                    if (i < offset) {
                        ids[at] = pad;
                        pos[at] = 1;
                    } else {
                        ids[at] = rows[r][i - offset];
                        mask[at] = 1;
                        pos[at] = i - offset;
                    }
                }
                last[r] = rows[r].length - 1;
            }
            return new Padded(ids, mask, pos, width, last);
        }
    }

    private OnnxTensor longs(long[] data, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape);
    }

    private OnnxTensor emptyPast(int batch) throws OrtException {
        long[] shape = {batch, kvHeads, 0, headDim};
        return kvType == OnnxJavaType.FLOAT16
                ? OnnxTensor.createTensor(env, ShortBuffer.allocate(0), shape, OnnxJavaType.FLOAT16)
                : OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape);
    }

    /** The present.* outputs of a run, renamed to the past_key_values.* inputs of the next. */
    private Map<String, OnnxTensor> presentAsPast(OrtSession.Result result) {
        Map<String, OnnxTensor> past = new HashMap<>();
        for (int i = 0; i < layers; i++) {
            for (String kind : new String[] {"key", "value"}) {
                String present = "present." + i + "." + kind;
                past.put("past_key_values." + i + "." + kind, (OnnxTensor) result.get(present)
                        .orElseThrow(() -> new IllegalStateException("model returned no " + present)));
            }
        }
        return past;
    }

    /**
     * Stacks single-row caches into one left-padded batch cache [B, kv, Tmax, hd]; the padding is masked out, so
     * its zeros are never attended to.
     */
    private Map<String, OnnxTensor> stack(List<Map<String, OnnxTensor>> rows, int[] lengths, int width)
            throws OrtException {
        Map<String, OnnxTensor> out = new HashMap<>();
        int b = rows.size();
        int kv = (int) kvHeads;
        int hd = (int) headDim;
        try {
            for (String name : rows.getFirst().keySet()) {
                long[] shape = {b, kv, width, hd};
                if (kvType == OnnxJavaType.FLOAT16) {
                    short[] data = new short[b * kv * width * hd];
                    for (int r = 0; r < b; r++) {
                        ShortBuffer src = rows.get(r).get(name).getShortBuffer();
                        for (int h = 0; h < kv; h++) {
                            src.get(h * lengths[r] * hd, data, ((r * kv + h) * width + width - lengths[r]) * hd,
                                    lengths[r] * hd);
                        }
                    }
                    out.put(name, OnnxTensor.createTensor(env, ShortBuffer.wrap(data), shape, OnnxJavaType.FLOAT16));
                } else {
                    float[] data = new float[b * kv * width * hd];
                    for (int r = 0; r < b; r++) {
                        FloatBuffer src = rows.get(r).get(name).getFloatBuffer();
                        for (int h = 0; h < kv; h++) {
                            src.get(h * lengths[r] * hd, data, ((r * kv + h) * width + width - lengths[r]) * hd,
                                    lengths[r] * hd);
                        }
                    }
                    out.put(name, OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape));
                }
            }
        } catch (OrtException | RuntimeException e) {
            out.values().forEach(OnnxValue::close);
            throw e;
        }
        return out;
    }

    /** Runs the model; {@code past} null = empty cache. Closes the tensors it creates. */
    private OrtSession.Result run(long[] ids, long[] mask, long[] positions, int batch, int seq, int total,
            Map<String, OnnxTensor> past) throws OrtException {
        Map<String, OnnxTensor> created = new HashMap<>();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            created.put("input_ids", longs(ids, batch, seq));
            created.put("attention_mask", longs(mask, batch, total));
            if (positionIds) {
                created.put("position_ids", longs(positions, batch, seq));
            }
            if (logitsToKeep != null) {
                created.put(logitsToKeep, OnnxTensor.createTensor(env, 1L));
            }
            inputs.putAll(created);
            for (int i = 0; i < layers; i++) {
                for (String kind : new String[] {"key", "value"}) {
                    String name = "past_key_values." + i + "." + kind;
                    if (past == null) {
                        OnnxTensor empty = emptyPast(batch);
                        created.put(name, empty);
                        inputs.put(name, empty);
                    } else {
                        inputs.put(name, past.get(name));
                    }
                }
            }
            return session.run(inputs);
        } finally {
            created.values().forEach(OnnxValue::close);
        }
    }

    /** The last position's logits of every row. */
    private float[][] lastLogits(OrtSession.Result result, int batch) throws OrtException {
        OnnxTensor logits = (OnnxTensor) result.get("logits")
                .orElseThrow(() -> new IllegalStateException("model returned no logits"));
        long[] shape = logits.getInfo().getShape();
        int seq = (int) shape[1];
        int v = (int) shape[2];
        vocab = v;
        FloatBuffer data = logits.getFloatBuffer();
        float[][] out = new float[batch][v];
        for (int r = 0; r < batch; r++) {
            data.get((r * seq + seq - 1) * v, out[r], 0, v);
        }
        return out;
    }

    /**
     * The production path: each prompt is prefilled alone (no padding waste, and attention memory grows with the
     * square of one prompt, not of the batch), the caches are stacked left-padded, and then every step decodes
     * one token per row against the shared batch cache.
     */
    private final class CachedSession implements Session {
        private final int batch;
        private long[] mask;
        private int total;
        private final long[] lastPosition;
        private OrtSession.Result owner;
        private Map<String, OnnxTensor> ownedPast = Map.of();
        private Map<String, OnnxTensor> past;
        private float[][] logits;

        CachedSession(long[][] prompts) throws OrtException {
            batch = prompts.length;
            Padded p = Padded.of(prompts, padId);
            mask = p.mask();
            total = p.width();
            lastPosition = p.lastPosition();
            if (batch == 1) {
                owner = run(p.ids(), p.mask(), p.positions(), 1, p.width(), p.width(), null);
                past = presentAsPast(owner);
                logits = lastLogits(owner, 1);
                return;
            }
            logits = new float[batch][];
            List<OrtSession.Result> results = new ArrayList<>(batch);
            try {
                List<Map<String, OnnxTensor>> caches = new ArrayList<>(batch);
                int[] lengths = new int[batch];
                for (int r = 0; r < batch; r++) {
                    Padded one = Padded.of(new long[][] {prompts[r]}, padId);
                    OrtSession.Result result = run(one.ids(), one.mask(), one.positions(), 1, one.width(),
                            one.width(), null);
                    results.add(result);
                    caches.add(presentAsPast(result));
                    lengths[r] = prompts[r].length;
                    logits[r] = lastLogits(result, 1)[0];
                }
                ownedPast = stack(caches, lengths, total);
                past = ownedPast;
            } finally {
                results.forEach(OrtSession.Result::close);
            }
        }

        @Override
        public float[] logits(int row) {
            return logits[row].clone();
        }

        @Override
        public void append(long[] tokens) throws OrtException {
            long[] grown = new long[batch * (total + 1)];
            long[] positions = new long[batch];
            for (int r = 0; r < batch; r++) {
                System.arraycopy(mask, r * total, grown, r * (total + 1), total);
                grown[r * (total + 1) + total] = 1;
                positions[r] = ++lastPosition[r];
            }
            OrtSession.Result next = run(tokens.clone(), grown, positions, batch, 1, total + 1, past);
            release(); // only after the run that read the old cache
            owner = next;
            past = presentAsPast(next);
            mask = grown;
            total++;
            logits = lastLogits(next, batch);
        }

        private void release() {
            ownedPast.values().forEach(OnnxValue::close);
            ownedPast = Map.of();
            if (owner != null) {
                owner.close();
                owner = null;
            }
        }

        @Override
        public void close() {
            release();
        }
    }

    /** Verification only: recomputes the whole padded sequence at every step, with an empty cache. */
    private final class UncachedSession implements Session {
        private final long[][] rows;
        private float[][] logits;

        UncachedSession(long[][] prompts) throws OrtException {
            rows = new long[prompts.length][];
            for (int r = 0; r < prompts.length; r++) {
                rows[r] = prompts[r].clone();
            }
            compute();
        }

        private void compute() throws OrtException {
            Padded p = Padded.of(rows, padId);
            try (OrtSession.Result result = run(p.ids(), p.mask(), p.positions(), rows.length, p.width(), p.width(),
                    null)) {
                logits = lastLogits(result, rows.length);
            }
        }

        @Override
        public float[] logits(int row) {
            return logits[row].clone();
        }

        @Override
        public void append(long[] tokens) throws OrtException {
            for (int r = 0; r < rows.length; r++) {
                rows[r] = java.util.Arrays.copyOf(rows[r], rows[r].length + 1);
                rows[r][rows[r].length - 1] = tokens[r];
            }
            compute();
        }

        @Override
        public void close() {}
    }
}
