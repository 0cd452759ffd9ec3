package run.codetether.agent.domain.rlm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Times the RLM REPL on large content: building the line index, then each command the model may run. Lives in the
 * REPL's package because the REPL is package-private. Usage: {@code RlmBench [chars=20000000] [runs=15]}.
 */
public final class RlmBench {
    private RlmBench() {}

    @FunctionalInterface
    interface Step {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int chars = args.length > 0 ? Integer.parseInt(args[0]) : 20_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int lines = chars / 40;
        String text = IntStream.range(0, lines).mapToObj(i -> i == lines / 2 ? "ERROR something broke at step 4242    "
                : "%08d INFO request served in %03d ms  ".formatted(i, i % 997)).collect(Collectors.joining("\n"));
        System.out.printf("content: %,d chars, %,d lines, %d runs each (first 3 are warm-up)%n", text.length(), lines, runs);
        RlmContent[] content = new RlmContent[1];
        time("load (line index)", runs, () -> content[0] = new RlmContent(text));
        RlmRepl repl = new RlmRepl(content[0], 8_000, (q, c) -> "");
        time("head(100)", runs, () -> repl.execute("head(100)"));
        time("tail(100)", runs, () -> repl.execute("tail(100)"));
        time("grep(\"ERROR\") literal", runs, () -> repl.execute("grep(\"ERROR\")"));
        time("grep(\"in 9\\\\d\\\\d ms\") regex", runs, () -> repl.execute("grep(\"in 9\\\\d\\\\d ms\")"));
        time("count(\"INFO\")", runs, () -> repl.execute("count(\"INFO\")"));
        time("slice(10000000, 10008000)", runs, () -> repl.execute("slice(10000000, 10008000)"));
        time("chunk(250, 500)", runs, () -> repl.execute("chunk(250, 500)"));
    }

    private static void time(String name, int runs, Step step) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            step.run();
            if (i >= 3) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        Collections.sort(ms);
        System.out.printf("%-34s p50 %9.3f ms   max %9.3f ms%n", name, ms.get(ms.size() / 2), ms.get(ms.size() - 1));
    }
}
