package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;

/** A filterable list overlay (model selector, session picker). */
public final class Picker<T> {
    /** One row: what is shown, what is matched against the filter, the value. */
    public record Item<T>(String label, String detail, String match, T value) {}

    private final List<Item<T>> items = new ArrayList<>();
    private final StringBuilder filter = new StringBuilder();
    private int selected;
    private String message = "";
    private boolean loading = true;

    public void set(List<Item<T>> all, String message) {
        items.clear();
        items.addAll(all);
        this.message = message == null ? "" : message;
        loading = false;
        selected = 0;
    }

    public void loading() {
        items.clear();
        filter.setLength(0);
        message = "";
        loading = true;
        selected = 0;
    }

    public boolean isLoading() {
        return loading;
    }

    public String message() {
        return message;
    }

    public String filter() {
        return filter.toString();
    }

    public void type(String s) {
        filter.append(s);
        selected = 0;
    }

    public void backspace() {
        if (!filter.isEmpty()) {
            filter.setLength(filter.length() - 1);
            selected = 0;
        }
    }

    public List<Item<T>> visible() {
        String f = filter.toString().toLowerCase();
        List<Item<T>> out = new ArrayList<>();
        for (Item<T> i : items) {
            if (f.isEmpty() || i.match().toLowerCase().contains(f)) {
                out.add(i);
            }
        }
        return out;
    }

    public int selected() {
        return Math.min(selected, Math.max(0, visible().size() - 1));
    }

    public void move(int delta) {
        int n = visible().size();
        if (n > 0) {
            selected = Math.floorMod(selected() + delta, n);
        }
    }

    public Item<T> current() {
        List<Item<T>> v = visible();
        return v.isEmpty() ? null : v.get(selected());
    }
}
