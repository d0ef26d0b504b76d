package org.loupe.ui.overlay;

/**
 * One cell of a float map (a patch of a ViT's grid, a position of a conv map): its row and column
 * in map coordinates, 0-based from the top left.
 *
 * @param row the row, {@code 0 <= row < height}
 * @param col the column, {@code 0 <= col < width}
 *
 * @since 0.1
 */
public record MapCell(int row, int col) {

    /** Validates. */
    public MapCell {
        if (row < 0 || col < 0) {
            throw new IllegalArgumentException("a map cell needs row, col >= 0, got (" + row + ", " + col + ")");
        }
    }

    /** The cell at (x, y) of a map of {@code height x width} cells drawn over {@code w x h} pixels at (0, 0), or null outside. */
    public static MapCell at(int x, int y, int w, int h, int height, int width) {
        if (x < 0 || y < 0 || x >= w || y >= h) {
            return null;
        }
        return new MapCell(Math.min(height - 1, (int) ((long) y * height / h)), Math.min(width - 1, (int) ((long) x * width / w)));
    }

    /** The index of this cell in row-major order of a map {@code width} cells wide (the patch token's index in the grid). */
    public int index(int width) {
        return row * width + col;
    }
}
