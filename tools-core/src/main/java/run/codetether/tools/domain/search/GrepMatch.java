package run.codetether.tools.domain.search;

import java.nio.file.Path;
import java.util.List;

/** One matching line with its context (lines before and after, each with its 1-based number). */
public record GrepMatch(Path file, int line, String text, List<Line> before, List<Line> after) {

    public record Line(int number, String text) {}
}
