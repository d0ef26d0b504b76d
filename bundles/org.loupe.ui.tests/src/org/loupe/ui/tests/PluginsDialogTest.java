package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.RegistryFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.plugins.PluginInfo;
import org.loupe.core.plugins.PluginManager;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.ui.internal.dialogs.PluginsDialog;
import org.loupe.ui.internal.render.ResultRenderers;

/**
 * The Plugins dialog in the running workbench, on a temporary plug-in folder: the table lists the
 * built-in plug-ins with what they contribute; Disable (run as a job) hides the example's analysis
 * from the registry and its result view from the renderers; Enable brings them back.
 */
class PluginsDialogTest {

    private static final String EXAMPLE = "org.loupe.example.analysis";
    private static final String EXAMPLE_UI = "org.loupe.example.analysis.ui";

    @TempDir
    Path dir;

    private PluginManager manager;
    private PluginsDialog dialog;
    private final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void open() {
        System.setProperty(PluginManager.FOLDER_PROPERTY, dir.toString());
        manager = new PluginManager(dir, Platform.getBundle("org.loupe.core").getBundleContext(), RegistryFactory.getRegistry());
        dialog = new PluginsDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), manager, changes::incrementAndGet);
        dialog.setBlockOnOpen(false);
        dialog.open();
    }

    @AfterEach
    void close() {
        dialog.close();
        System.clearProperty(PluginManager.FOLDER_PROPERTY);
    }

    @Test
    void listsBuiltInPluginsAndDisablesAndEnablesOne() throws Exception {
        PluginInfo example = row(EXAMPLE);
        assertTrue(example.builtIn());
        assertEquals("1 analysis, 1 result type", example.summary());
        assertEquals("1 result view", row(EXAMPLE_UI).summary());
        Table table = find(dialog.getShell(), Table.class);
        assertEquals(dialog.shown().size(), table.getItemCount());
        assertEquals(6, table.getColumnCount());

        select(table, EXAMPLE_UI);
        press("Disable");
        WorkbenchTest.waitUntil(() -> changes.get() == 1, "the disable job");
        assertFalse(row(EXAMPLE_UI).enabled());
        Class<?> profile = Platform.getBundle(EXAMPLE).loadClass("org.loupe.example.analysis.UnitProfile");
        assertTrue(new ResultRenderers().declarationFor(profile).isEmpty(), "a disabled plug-in's result view is left out");
        assertEquals("Enable", button("Enable").getText(), "the button follows the selection");
        assertFalse(button("Uninstall").isEnabled(), "built-in plug-ins cannot be uninstalled");

        select(table, EXAMPLE);
        press("Disable");
        WorkbenchTest.waitUntil(() -> changes.get() == 2, "the second disable job");
        assertTrue(new LoupeRegistry(RegistryFactory.getRegistry(), PluginManager.enabledContributors(dir)).analysis(
                "org.loupe.example.activationStats").isEmpty());

        press("Enable");
        WorkbenchTest.waitUntil(() -> changes.get() == 3, "the enable job");
        select(table, EXAMPLE_UI);
        press("Enable");
        WorkbenchTest.waitUntil(() -> changes.get() == 4, "the second enable job");
        assertTrue(row(EXAMPLE).enabled() && row(EXAMPLE_UI).enabled());
        assertTrue(new ResultRenderers().declarationFor(profile).isPresent());
        assertTrue(new LoupeRegistry().analysis("org.loupe.example.activationStats").isPresent());
    }

    private PluginInfo row(String id) {
        return dialog.shown().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no row " + id));
    }

    private void select(Table table, String id) {
        for (int i = 0; i < table.getItemCount(); i++) {
            if (((PluginInfo) table.getItem(i).getData()).id().equals(id)) {
                table.setSelection(i);
                table.notifyListeners(SWT.Selection, null);
                return;
            }
        }
        throw new AssertionError("no row " + id);
    }

    private void press(String label) {
        Button b = button(label);
        assertTrue(b.isEnabled(), label + " is enabled");
        b.notifyListeners(SWT.Selection, null);
    }

    private Button button(String label) {
        return all(dialog.getShell(), Button.class).stream().filter(b -> b.getText().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + label));
    }

    private static <T extends Control> T find(Composite root, Class<T> type) {
        return all(root, type).get(0);
    }

    private static <T extends Control> java.util.List<T> all(Composite root, Class<T> type) {
        java.util.List<T> out = new java.util.ArrayList<>();
        for (Control c : root.getChildren()) {
            if (type.isInstance(c)) {
                out.add(type.cast(c));
            }
            if (c instanceof Composite k) {
                out.addAll(all(k, type));
            }
        }
        return out;
    }
}
