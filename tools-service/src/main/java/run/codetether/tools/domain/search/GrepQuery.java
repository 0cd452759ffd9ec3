package run.codetether.tools.domain.search;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One search: the compiled pattern, where to look, include/exclude globs (matched against the path relative to the
 * search root and against the file name), context lines and the match limit.
 */
public record GrepQuery(Pattern pattern, Path root, List<String> include, List<String> exclude, int contextLines,
        int limit) {}
