package run.codetether.agent.domain.loop;

import java.util.ArrayList;
import java.util.List;
import run.codetether.agent.domain.dispatch.OfferedTool;
import run.codetether.agent.domain.dispatch.ToolCatalog;
import run.codetether.agent.domain.dispatch.ToolSource;

/**
 * The catalog a run offers, from its sources in order (the first to offer a name wins), kept while no source's list
 * changed: a run does not rebuild schemas or maps. Thread-safe.
 */
final class ToolCatalogs {
    private record Cached(List<List<OfferedTool>> lists, ToolCatalog catalog) {}

    private final List<ToolSource> sources;
    private volatile Cached top = new Cached(List.of(), null);
    private volatile Cached nested = new Cached(List.of(), null);

    ToolCatalogs(List<ToolSource> sources) {
        this.sources = List.copyOf(sources);
    }

    ToolCatalog forRun(RunContext cx) {
        int depth = cx.depth;
        List<List<OfferedTool>> lists = new ArrayList<>(sources.size());
        for (ToolSource s : sources) {
            lists.add(s.offered(depth, cx));
        }
        Cached c = depth == 0 ? top : nested;
        if (c.catalog() != null && sameInstances(c.lists(), lists)) {
            return c.catalog();
        }
        Cached next = new Cached(List.copyOf(lists), new ToolCatalog(lists));
        if (depth == 0) {
            top = next;
        } else {
            nested = next;
        }
        return next.catalog();
    }

    private static boolean sameInstances(List<List<OfferedTool>> a, List<List<OfferedTool>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
