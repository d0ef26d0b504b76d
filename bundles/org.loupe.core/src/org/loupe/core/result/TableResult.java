package org.loupe.core.result;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.internal.Values;

/**
 * A table; each cell is a {@link Number}, a {@link String} or a {@link UnitRef} (integral numbers are
 * kept as Long, others as Double). A view shows a unit cell as a link that selects the unit.
 *
 * @param title   the title
 * @param columns column headers
 * @param rows    rows, each with one cell per column
 *
 * @since 0.1
 */
public record TableResult(String title, List<String> columns, List<List<Object>> rows) implements Result {

    /** Validates and deep-copies. */
    public TableResult {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + r.size() + " cells but there are " + columns.size() + " columns");
            }
            for (Object cell : r) {
                if (!(cell instanceof Number) && !(cell instanceof String) && !(cell instanceof UnitRef)) {
                    throw new IllegalArgumentException("cells must be numbers, strings or unit references, got " + cell);
                }
            }
            copy.add(r.stream().map(Values::normalize).toList());
        }
        rows = List.copyOf(copy);
    }
}
