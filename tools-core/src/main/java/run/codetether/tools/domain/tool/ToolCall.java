package run.codetether.tools.domain.tool;

import java.time.Duration;
import run.codetether.tools.domain.Args;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.Session;

/** One invocation: the session it runs in, its arguments, where streamed output goes, and its wall-clock limit. */
public record ToolCall(Session session, Args args, OutputSink sink, Duration timeout) {}
