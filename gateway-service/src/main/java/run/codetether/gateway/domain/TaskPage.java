package run.codetether.gateway.domain;

import java.util.List;
import run.codetether.contracts.a2a.Task;

/** One page of ListTasks; nextPageToken is "" on the last page (spec 3.1.4). */
public record TaskPage(List<Task> tasks, String nextPageToken, int pageSize, int totalSize) {}
