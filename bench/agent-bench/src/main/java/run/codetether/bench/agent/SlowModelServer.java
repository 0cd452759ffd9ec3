package run.codetether.bench.agent;

import java.time.Duration;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * A slow OpenAI-compatible model in its own process (so its memory is not counted against the agent): answers
 * requests whose text contains "warmup" at once, every other one after the given delay.
 */
public final class SlowModelServer {
    private SlowModelServer() {}

    public static void main(String[] args) throws Exception {
        long delaySeconds = args.length > 0 ? Long.parseLong(args[0]) : 120;
        ScriptedLlmServer llm = ScriptedLlmServer.start();
        llm.respondWith(r -> r.bodyText().contains("warmup") ? Reply.text("warm")
                : Reply.text("slow answer").withDelay(Duration.ofSeconds(delaySeconds)));
        System.out.println("PORT " + llm.baseUrl().substring(llm.baseUrl().lastIndexOf(':') + 1));
        System.out.flush();
        System.in.read(); // runs until the parent closes our stdin
        llm.close();
    }
}
