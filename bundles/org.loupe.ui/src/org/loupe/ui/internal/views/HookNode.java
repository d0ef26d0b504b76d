package org.loupe.ui.internal.views;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loupe.core.model.HookPoint;

/**
 * A node of the Model view's tree: one segment of a dotted hook-point name ({@code layer1},
 * {@code 0}, {@code conv1}), with the hook point at that full name if there is one.
 */
public final class HookNode {

    private final String label;
    private final String path;
    private final HookNode parent;
    private HookPoint point;
    private final Map<String, HookNode> children = new LinkedHashMap<>();

    HookNode(String label, String path, HookNode parent) {
        this.label = label;
        this.path = path;
        this.parent = parent;
    }

    /** Builds the tree of {@code points} (in forward order) under an unnamed root. */
    static HookNode tree(List<HookPoint> points) {
        HookNode root = new HookNode("", "", null);
        for (HookPoint p : points) {
            HookNode n = root;
            String[] parts = p.name().split("\\.");
            StringBuilder path = new StringBuilder();
            for (String part : parts) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(part);
                String full = path.toString();
                HookNode up = n;
                n = n.children.computeIfAbsent(part, k -> new HookNode(k, full, up));
            }
            n.point = p;
        }
        return root;
    }

    /** The node at the dotted {@code path} below this one, or null. */
    HookNode find(String fullPath) {
        HookNode n = this;
        for (String part : fullPath.split("\\.")) {
            n = n.children.get(part);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** The parent node (null for the root). */
    public HookNode parent() {
        return parent;
    }

    /** The segment shown in the tree. */
    public String label() {
        return label;
    }

    /** The full dotted name. */
    public String path() {
        return path;
    }

    /** The hook point at this name, or null for a pure grouping node. */
    public HookPoint point() {
        return point;
    }

    /** Child nodes in forward order. */
    public List<HookNode> children() {
        return new ArrayList<>(children.values());
    }

    /** All hook points at or below this node. */
    public int count() {
        int n = point == null ? 0 : 1;
        for (HookNode c : children.values()) {
            n += c.count();
        }
        return n;
    }
}
