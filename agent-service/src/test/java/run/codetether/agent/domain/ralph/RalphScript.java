package run.codetether.agent.domain.ralph;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/**
 * The scripted model of the Ralph tests. A Ralph iteration (its prompt names the current story) writes
 * {@code <dir>/<story>.txt} with the content {@code writes} decides for that attempt, then answers with a summary;
 * any other request is answered by {@code topLevel}.
 */
final class RalphScript implements Function<RecordedRequest, Reply> {
    private static final Pattern STORY = Pattern.compile("## Current Story: (\\S+) - ");

    final List<String> attempts = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> perStory = new ConcurrentHashMap<>();
    final List<String> firstPrompts = new CopyOnWriteArrayList<>();
    private final String dir;
    private final BiFunction<String, Integer, String> writes;
    private final Function<RecordedRequest, Reply> topLevel;
    volatile java.util.function.Consumer<String> onAttempt = s -> {};
    /** The usage an iteration's model calls report (default: estimated from the sizes). */
    volatile java.util.function.UnaryOperator<Reply.Answer> storyUsage = a -> a;

    RalphScript(String dir, BiFunction<String, Integer, String> writes, Function<RecordedRequest, Reply> topLevel) {
        this.dir = dir;
        this.writes = writes;
        this.topLevel = topLevel;
    }

    @Override
    public Reply apply(RecordedRequest req) {
        Matcher m = STORY.matcher(req.bodyText());
        if (!m.find()) {
            return topLevel.apply(req);
        }
        String story = m.group(1);
        if (req.toolResults().isEmpty()) {
            int n = perStory.computeIfAbsent(story, k -> new AtomicInteger()).incrementAndGet();
            attempts.add(story);
            firstPrompts.add(req.bodyText());
            onAttempt.accept(story);
            String path = dir.equals(".") ? story + ".txt" : dir + "/" + story + ".txt";
            return storyUsage.apply(Reply.tools(Reply.call("w1", "write_file", Map.of("path", path, "content",
                    writes.apply(story, n)))));
        }
        return storyUsage.apply(Reply.text("Implemented " + story + ".\nLearning: " + story
                + " lives in its own file.\nSTORY_COMPLETE: " + story));
    }

    int attempts(String story) {
        AtomicInteger n = perStory.get(story);
        return n == null ? 0 : n.get();
    }
}
