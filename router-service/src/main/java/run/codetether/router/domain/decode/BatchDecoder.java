package run.codetether.router.domain.decode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import run.codetether.router.domain.decode.Generation.Stop;
import run.codetether.router.domain.grammar.GrammarState;
import run.codetether.router.domain.grammar.Symbols;
import run.codetether.router.domain.grammar.TokenVocabulary;

/**
 * Dynamic batching: one decoder thread takes the first waiting job, waits up to {@code maxWait} for more (up to
 * {@code maxBatch}), and decodes them as one left-padded batch with the KV cache. Each row is constrained by its own
 * grammar and completes its future as soon as it stops. Jobs arriving during a batch wait for the next one.
 */
public final class BatchDecoder implements AutoCloseable {

    private final CausalLm lm;
    private final TokenVocabulary vocabulary;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<DecodeJob> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private volatile boolean closed;

    public BatchDecoder(CausalLm lm, TokenVocabulary vocabulary, int maxBatch, Duration maxWait) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be >= 1");
        }
        this.lm = lm;
        this.vocabulary = vocabulary;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.worker = Thread.ofPlatform().name("router-decoder").daemon().unstarted(this::loop);
        worker.start();
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** Batches run so far and rows decoded in them (for metrics and the benchmark). */
    public long batches() {
        return batches.get();
    }

    public long rows() {
        return rows.get();
    }

    /** Queues a job; its future completes with the generation, or exceptionally when the model fails. */
    public CompletableFuture<Generation> submit(DecodeJob job) {
        if (closed) {
            job.result().completeExceptionally(new IllegalStateException("decoder is closed"));
        } else {
            queue.add(job);
        }
        return job.result();
    }

    private void loop() {
        while (!closed) {
            try {
                DecodeJob first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<DecodeJob> batch = new ArrayList<>(maxBatch);
                batch.add(first);
                long until = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = until - System.nanoTime();
                    DecodeJob next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                batches.incrementAndGet();
                rows.addAndGet(batch.size());
                decodeTogether(lm, vocabulary, batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // decodeTogether completes its own futures; never let the worker die
            }
        }
    }

    /** Decodes the jobs as one batch on the calling thread and completes their futures. */
    public static void decodeTogether(CausalLm lm, TokenVocabulary vocabulary, List<DecodeJob> jobs) {
        long start = System.nanoTime();
        List<Row> live = new ArrayList<>();
        for (DecodeJob job : jobs) {
            if (job.result().isDone()) {
                continue; // cancelled or timed out by the caller while queued
            }
            Row row = new Row(job, start);
            if (start > job.deadlineNanos()) {
                row.finish(Stop.DEADLINE, 0, 0, 0, start);
            } else {
                live.add(row);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        long[][] prompts = live.stream().map(r -> r.job.prompt()).toArray(long[][]::new);
        try (CausalLm.Session session = lm.start(prompts)) {
            long prefilled = System.nanoTime();
            double prefillMs = (prefilled - start) / 1e6;
            long[] next = new long[live.size()];
            while (true) {
                boolean active = false;
                for (int r = 0; r < live.size(); r++) {
                    Row row = live.get(r);
                    if (row.done) {
                        continue;
                    }
                    long now = System.nanoTime();
                    Stop stop = now > row.job.deadlineNanos() ? Stop.DEADLINE
                            : row.tokens.size() >= row.job.maxTokens() ? Stop.MAX_TOKENS : null;
                    if (stop == null) {
                        stop = row.step(session.logits(r), vocabulary);
                    }
                    if (stop != null) {
                        row.finish(stop, live.size(), prefillMs, prefilled, System.nanoTime());
                        continue;
                    }
                    next[r] = row.tokens.getLast();
                    active = true;
                }
                if (!active) {
                    return;
                }
                session.append(next);
            }
        } catch (Exception | Error e) {
            for (Row row : live) {
                row.job.result().completeExceptionally(e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        DecodeJob job;
        while ((job = queue.poll()) != null) {
            job.result().completeExceptionally(new IllegalStateException("decoder closed"));
        }
    }

    /** The decoding state of one request inside a batch. */
    private static final class Row {
        final DecodeJob job;
        final long batchStart;
        final SplittableRandom random;
        final StringBuilder symbols = new StringBuilder();
        final List<Integer> tokens = new ArrayList<>();
        GrammarState state;
        int calls;
        int callTextLength;
        boolean done;

        Row(DecodeJob job, long batchStart) {
            this.job = job;
            this.batchStart = batchStart;
            this.random = new SplittableRandom(job.seed());
            this.state = job.grammar().initialState();
        }

        /** Chooses and takes one token; returns why the row stops, or null to go on. */
        Stop step(float[] logits, TokenVocabulary vocabulary) {
            BitSet allowed = vocabulary.allowed(state);
            int id = Sampler.pick(logits, allowed, job.temperature(), random);
            if (id < 0) {
                return Stop.DEAD_END;
            }
            String symbol = vocabulary.symbol(id);
            GrammarState next = state.feed(symbol);
            if (next == null) {
                throw new IllegalStateException("token " + id + " passed the mask but not the grammar");
            }
            state = next;
            tokens.add(id);
            if (symbol.indexOf(Symbols.END) < 0) {
                symbols.append(symbol);
            }
            int complete = state.completeCalls();
            if (complete > calls) {
                calls = complete;
                callTextLength = symbols.length();
            }
            return state.finished() ? Stop.END : null;
        }

        void finish(Stop stop, int batchSize, double prefillMs, long decodeStart, long now) {
            done = true;
            int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
            double queueMs = (batchStart - job.enqueuedNanos()) / 1e6;
            double decodeMs = decodeStart == 0 ? 0 : (now - decodeStart) / 1e6;
            job.result().complete(new Generation(symbols.toString(), symbols.substring(0, callTextLength), ids, stop,
                    calls,
                    job.prompt().length, batchSize, queueMs, prefillMs, Math.max(0, decodeMs)));
        }
    }
}
