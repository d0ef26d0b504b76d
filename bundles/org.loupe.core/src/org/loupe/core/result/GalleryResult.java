package org.loupe.core.result;

import java.util.List;

/**
 * Pictures with metadata: dataset examples of a unit (each with its activation), one feature
 * visualisation per unit (each with its unit), so that a view can show the values and link to the
 * units.
 *
 * @param title      the title
 * @param items      the pictures, row by row
 * @param columns    pictures per row
 * @param valueLabel what the items' values are ("activation", "p"), or empty
 *
 * @since 0.1
 */
public record GalleryResult(String title, List<GalleryItem> items, int columns, String valueLabel) implements Result {

    /** Validates and copies. */
    public GalleryResult {
        items = List.copyOf(items);
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
        valueLabel = valueLabel == null ? "" : valueLabel;
    }

    /** The text under item {@code i}: its caption, value and unit, those that are set ({@code cat · activation 3.25 · relu1:15}). */
    public String label(int i) {
        GalleryItem it = items.get(i);
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (!it.caption().isEmpty()) {
            parts.add(it.caption());
        }
        if (it.value() != null) {
            parts.add((valueLabel.isEmpty() ? "" : valueLabel + " ") + String.format(java.util.Locale.ROOT, "%.4g", it.value()));
        }
        if (it.unit() != null) {
            parts.add(it.unit().label());
        }
        return String.join(" \u00b7 ", parts);
    }

    /** Whether any item has a detail to open. */
    public boolean hasDetails() {
        return items.stream().anyMatch(i -> i.detail() != null);
    }

    /** The pictures and their labels as an image grid. */
    public ImageGridResult asGrid() {
        return new ImageGridResult(title, items.stream().map(GalleryItem::image).toList(),
                java.util.stream.IntStream.range(0, items.size()).mapToObj(this::label).toList(), columns);
    }
}
